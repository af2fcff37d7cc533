# A slice "by year" that does not say its year.
# breaks: IC-10 Slice dimensions complete
# focus: <https://w3id.org/hitz/id/dataset/zone-statistics/slice/2021>
INSERT DATA {
  <https://w3id.org/hitz/id/dsd/zone-statistics> qb:sliceKey <https://w3id.org/hitz/id/dsd/zone-statistics/slice-key/by-year> .
  <https://w3id.org/hitz/id/dsd/zone-statistics/slice-key/by-year> a qb:SliceKey ;
    qb:componentProperty sdmx-dimension:refPeriod .
  ds:zone-statistics qb:slice <https://w3id.org/hitz/id/dataset/zone-statistics/slice/2021> .
  <https://w3id.org/hitz/id/dataset/zone-statistics/slice/2021> a qb:Slice ;
    qb:sliceStructure <https://w3id.org/hitz/id/dsd/zone-statistics/slice-key/by-year> ;
    qb:observation obs:gdp-2021 .
}
