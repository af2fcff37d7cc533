# "CNY15.3 trillion in 2021" without saying whose GDP it is.
# breaks: IC-11 All dimensions required
# focus: ds:zone-statistics
# value: obs:gdp-2021
DELETE WHERE { obs:gdp-2021 sdmx-dimension:refArea ?area }
