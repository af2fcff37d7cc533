# "CNY5.4 trillion in 2012" without the 5.4 trillion.
# breaks: IC-14 All measures present
# focus: ds:zone-statistics
# value: obs:gdp-2012
DELETE WHERE { obs:gdp-2012 sdmx-measure:obsValue ?value }
