# "CNY15.3 trillion in 2021" without the data set it belongs to.
# breaks: IC-1 Unique DataSet
# focus: obs:gdp-2021
DELETE DATA { obs:gdp-2021 qb:dataSet ds:zone-statistics }
