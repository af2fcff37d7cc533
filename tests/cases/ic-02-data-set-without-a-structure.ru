# breaks: IC-2 Unique DSD
# focus: ds:zone-statistics
DELETE DATA { ds:zone-statistics qb:structure <https://w3id.org/hitz/id/dsd/zone-statistics> }
