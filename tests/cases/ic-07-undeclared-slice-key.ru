# A slice key "by year" that no data structure definition declares.
# breaks: IC-7 Slice Keys must be declared
# focus: <https://w3id.org/hitz/id/dsd/zone-statistics/slice-key/by-year>
INSERT DATA {
  <https://w3id.org/hitz/id/dsd/zone-statistics/slice-key/by-year> a qb:SliceKey ;
    qb:componentProperty sdmx-dimension:refPeriod .
}
