# hitz:indicator ranges over hitz:Indicator, a skos:Concept, so it needs its code list.
# breaks: IC-5 Concept dimensions have code lists
# focus: hitz:indicator
DELETE WHERE { hitz:indicator qb:codeList ?list }
