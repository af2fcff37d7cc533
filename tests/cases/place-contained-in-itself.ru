# "Changsha, Hunan province": China put inside Changsha, which is in Hunan, which is in China.
# breaks: the place is contained in itself
# focus: place:china
INSERT DATA { place:china schema:containedInPlace place:changsha }
