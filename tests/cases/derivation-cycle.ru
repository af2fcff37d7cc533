# The 2012 number of zones is derived from the 2022 number (173 - 84); here the 2022 number is
# also said to come from the 2012 one, a cycle.
# breaks: the derived observation is derived from itself
# focus: obs:zones-2012
INSERT DATA { obs:zones-2022 prov:wasDerivedFrom obs:zones-2012 }
