# "Wu Jiaxi, deputy director of ...": the post names its holder, the person does not name the post.
# breaks: the post is org:heldBy {?holder}, who does not org:holds it back
# focus: post:most-research-commercialization-regional-innovation-deputy-director
DELETE DATA { person:wu-jiaxi org:holds post:most-research-commercialization-regional-innovation-deputy-director }
