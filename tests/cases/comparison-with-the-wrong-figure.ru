# "173 national high-tech development zones, 84 more than in 2012", compared with the 2012 GDP
# instead of the 2012 number of zones: the change of a count compared with a sum of money.
# breaks: the comparison's indicator compares
# focus: obs:zones-change-2012-2022
DELETE DATA { obs:zones-change-2012-2022 hitz:comparedWith obs:zones-2012 } ;
INSERT DATA { obs:zones-change-2012-2022 hitz:comparedWith obs:gdp-2012 }
