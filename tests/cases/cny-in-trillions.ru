# "CNY15.3 trillion in 2021", written in trillions (15.3) instead of yuan.
# breaks: amount of money looks like it is in trillions
# component: sh:or
# focus: obs:gdp-2021
DELETE WHERE { obs:gdp-2021 sdmx-measure:obsValue ?v } ;
INSERT DATA { obs:gdp-2021 sdmx-measure:obsValue "15.3"^^xsd:decimal }
