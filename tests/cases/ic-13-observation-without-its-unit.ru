# "CNY5.4 trillion in 2012" without its unit, an attribute the structure requires.
# breaks: IC-13 Required attributes
# focus: ds:zone-statistics
# value: obs:gdp-2012
DELETE WHERE { obs:gdp-2012 sdmx-attribute:unitMeasure ?unit }
