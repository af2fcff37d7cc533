# "CNY5.4 trillion in 2012" without its unit: 5.4 trillion what?
# breaks: an observation needs exactly one sdmx-attribute:unitMeasure
# component: sh:minCount
# focus: obs:gdp-2012
DELETE WHERE { obs:gdp-2012 sdmx-attribute:unitMeasure ?unit }
