# A slice of the data set lists the 2021 GDP, which is in another data set.
# breaks: IC-18 Consistent data set links
# focus: ds:zone-statistics
# value: obs:gdp-2021
DELETE DATA { obs:gdp-2021 qb:dataSet ds:zone-statistics } ;
INSERT DATA {
  obs:gdp-2021 qb:dataSet <https://w3id.org/hitz/id/dataset/other> .
  ds:zone-statistics qb:slice <https://w3id.org/hitz/id/dataset/zone-statistics/slice/2021> .
  <https://w3id.org/hitz/id/dataset/zone-statistics/slice/2021> a qb:Slice ; qb:observation obs:gdp-2021 .
}
