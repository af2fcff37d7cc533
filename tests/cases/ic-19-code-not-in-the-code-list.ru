# The GDP indicator taken out of the indicator code list.
# breaks: IC-19 Codes from code list
# focus: ds:zone-statistics
# value: obs:gdp-2021
DELETE WHERE { indicator:gdp skos:inScheme ?list }
