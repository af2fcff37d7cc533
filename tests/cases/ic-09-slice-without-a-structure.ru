# A slice of the 2021 figures that does not say which slice key it follows.
# breaks: IC-9 Unique slice structure
# focus: <https://w3id.org/hitz/id/dataset/zone-statistics/slice/2021>
INSERT DATA {
  ds:zone-statistics qb:slice <https://w3id.org/hitz/id/dataset/zone-statistics/slice/2021> .
  <https://w3id.org/hitz/id/dataset/zone-statistics/slice/2021> a qb:Slice ;
    sdmx-dimension:refPeriod year:2021 ; qb:observation obs:gdp-2021 .
}
