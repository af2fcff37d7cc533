# "CNY15.3 trillion in 2021" without the words of the article it comes from.
# breaks: a stated fact must be prov:wasDerivedFrom at least one hitz:TextSpan
# component: sh:qualifiedMinCount
# focus: obs:gdp-2021
DELETE DATA { obs:gdp-2021 prov:wasDerivedFrom span:gdp-2021 }
