# "These zones contributed 13.4% to China's GDP in 2021", written as 134.
# breaks: a percentage (unit:PERCENT) must be between 0 and 100
# component: sh:maxInclusive
# focus: obs:share-of-national-gdp-2021
DELETE WHERE { obs:share-of-national-gdp-2021 sdmx-measure:obsValue ?v } ;
INSERT DATA { obs:share-of-national-gdp-2021 sdmx-measure:obsValue "134"^^xsd:decimal }
