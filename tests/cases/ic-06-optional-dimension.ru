# breaks: IC-6 Only attributes may be optional
# focus: <https://w3id.org/hitz/id/dsd/zone-statistics>
INSERT DATA { <https://w3id.org/hitz/id/dsd/zone-statistics/component/indicator> qb:componentRequired false }
