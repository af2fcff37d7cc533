# "12.33 trillion yuan (1.73 trillion U.S. dollars)" (Xinhua, December 2023) claimed as the
# conversion of a second figure too (the article's GDP of 2021): one conversion, one figure.
# breaks: a currency conversion belongs to exactly one figure
# component: sh:maxCount
# focus: obs:gdp-2023-01-09-xinhua-usd
INSERT DATA { obs:gdp-2021 hitz:conversion obs:gdp-2023-01-09-xinhua-usd }
