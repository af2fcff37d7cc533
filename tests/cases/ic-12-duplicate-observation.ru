# "CNY5.4 trillion in 2012" dated 2021: two GDP figures for the same area and year.
# breaks: IC-12 No duplicate observations
# focus: ds:zone-statistics
# value: obs:gdp-2012
DELETE DATA { obs:gdp-2012 sdmx-dimension:refPeriod year:2012 } ;
INSERT DATA { obs:gdp-2012 sdmx-dimension:refPeriod year:2021 }
