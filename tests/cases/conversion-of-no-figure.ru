# "48 trillion yuan ($7.6 trillion)" (Xinhua, February 2022): the dollar
# amount is the same figure converted, so its conversion record must belong to the yuan figure.
# breaks: a currency conversion belongs to exactly one figure
# component: sh:minCount
# focus: obs:revenue-2021-xinhua-usd
DELETE WHERE { ?figure hitz:conversion obs:revenue-2021-xinhua-usd }
