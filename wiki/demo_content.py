"""Texts of the demo network (see `wiki/demo.py`, which loads them through the services).

Everything here is fictional: people, organisations, villages and figures. Sheets in zones
where security is poor name no village and no person.
"""
from __future__ import annotations

# Demo accounts, by e-mail (created in `wiki/demo.py`).
CLAIRE = "coordination@passerelle.example"  # coordinator, Nord
BERNARD = "bernard.lachaux@passerelle.example"  # contributor, Nord
AMINATA = "aminata.coulibaly@passerelle.example"  # contributor, Sud
MOUSSA = "moussa.diarra@passerelle.example"  # contributor, Sud
HELENE = "helene.vautrin@passerelle.example"  # reader, Nord

# Page titles, so that [[links]] and the code agree.
T_HOME = "Accueil"
T_MEETING = "Première rencontre des acteurs de la coopération avec le Mali"
T_STEERING = "Comité de pilotage"
T_GUIDE = "Guide de rédaction d'une fiche d'expérience"
T_PARTS = "Pièces détachées des pompes manuelles"
T_WATER_GROUP = "Groupe Eau et assainissement"
T_HEALTH_GROUP = "Groupe Santé"
T_EDUCATION_GROUP = "Groupe Éducation"
T_WELL = "Forage et pompe manuelle à Fanébougou"
T_CSCOM = "Appui au centre de santé communautaire de Dialakoro"
T_GIRLS = "Scolarisation des filles à Dialakoro"
T_CEREALS = "Banque de céréales de Tinkaré"
T_VEGETABLES = "Transformation et vente des légumes de la coopérative Benkadi"
T_SOLAR = "Électricité solaire au centre de santé de Niankoro"
T_ZAI = "Cordons pierreux et zaï pour restaurer les champs du plateau de Bandiagara"
T_TRAINING = "Formation de jeunes installateurs solaires à Bamako"
T_CANTEENS = "Cantines scolaires dans le cercle de Goundam"
T_ECSI_COLLEGE = "Semaine de la solidarité internationale au collège du Val d'Ouche"
T_TALES = "Soirée contes et exposition « Fanébougou au quotidien » à Semur-en-Auxois"
T_CIVIL = "État civil : déclarer toutes les naissances à Dialakoro"
T_MISSING = "Calendrier des formations"  # deliberately not created: shows « à créer »


# Texts -----------------------------------------------------------------------

HOME = f"""\
Passerelle est l'espace de travail partagé des associations, comités de jumelage, collectivités et \
écoles de Bourgogne engagés dans la coopération avec le Mali, et de leurs partenaires maliens. \
Chacun y dépose ce qu'il a appris sur le terrain, au Nord comme au Sud, pour que les autres puissent \
s'en servir.

## Pourquoi ce wiki ?

Lors de la [[{T_MEETING}]], les participants ont demandé à mieux se connaître, à apprendre des \
expériences des uns et des autres et à rendre leurs actions plus cohérentes. Passerelle est la \
réponse du réseau à ces attentes.

## Trouver ce que l'on cherche

- **La recherche**, en haut de chaque page, parcourt les pages et les fiches ; on affine ensuite \
par thème, par région, par groupe ou par côté (Nord ou Sud).
- **Les fiches d'expérience** racontent un projet de bout en bout : contexte, actions, résultats, \
difficultés et enseignements. Par exemple : [[{T_WELL}]], [[{T_CSCOM}]] ou [[{T_GIRLS}]].
- **Les groupes thématiques** réunissent des membres des deux côtés autour d'un même domaine : \
[[{T_WATER_GROUP}]], [[{T_HEALTH_GROUP}]] et [[{T_EDUCATION_GROUP}]].
- **L'annuaire** présente les organisations du réseau, en Bourgogne et au Mali.

## Contribuer

Avant d'écrire votre première fiche, lisez le [[{T_GUIDE}]]. Chaque fiche comporte un « Regard du \
Nord » et un « Regard du Sud », rédigés chacun par les partenaires du côté concerné.

Le [[{T_STEERING}]] fixe les orientations du réseau et prépare la rencontre annuelle. Le \
[[{T_MISSING}]] reste à écrire : avis aux volontaires !

## Qui voit quoi ?

Seules les pages marquées « public », comme celle-ci, sont lisibles sans compte. Les fiches \
d'expérience et les noms des partenaires sont réservés aux membres : au Mali, la sécurité des \
personnes passe avant la visibilité. Certaines pages ne s'ouvrent qu'aux membres d'un groupe \
thématique : si un lien ci-dessus apparaît comme une page « à créer », connectez-vous, il mène \
sans doute à une page réservée.
"""

MEETING = f"""\
Le 14 février 2015, le réseau régional de coopération internationale a réuni pour la première fois \
les structures bourguignonnes qui travaillent avec des partenaires maliens. Une quarantaine de \
personnes ont répondu à l'invitation, accueillies par une commune de l'agglomération dijonnaise et \
son comité de jumelage.

## Le déroulement de la journée

L'idée était simple : se rencontrer dans un cadre convivial et partager des pratiques. La matinée a \
commencé par un tour de table où chaque structure a présenté ses actions ; un repas malien a réuni \
tout le monde à midi ; l'après-midi était consacré à des ateliers.

## Les difficultés exprimées

- l'accès aux financements ;
- la mobilisation des adhérents et des bénévoles ;
- le suivi des actions sur place, devenu très difficile avec l'insécurité ;
- la construction de partenariats fiables et compétents.

Les participants ont surtout dit leur envie de mieux connaître les autres acteurs, en Bourgogne \
comme au Mali, et de s'appuyer sur leurs expériences. Chercher la cohérence entre les actions de \
chacun est apparu comme une condition de l'efficacité.

## Les pistes de travail

Les ateliers ont montré que le contexte (insécurité et instabilité politique au Mali, difficultés \
économiques en France) oblige à repenser la manière de coopérer. Plusieurs pistes se sont dégagées :

1. **Mieux se coordonner**, entre structures du Nord comme avec les partenaires maliens, et faire \
connaître ses actions, notamment auprès des institutions.
2. **Agir de concert**, voire monter des actions communes, pour mettre en commun moyens humains et \
financiers et gagner en compétences.
3. **Partager la gouvernance** des partenariats en y associant autorités locales et société civile, \
pour gagner en légitimité et inscrire l'action dans la durée.
4. **Développer la réciprocité** par des échanges du Sud vers le Nord, et pas seulement l'inverse.
5. **Ancrer les projets en Bourgogne** par des actions d'éducation à la citoyenneté et à la \
solidarité internationale (ECSI).

## Et ensuite ?

- Un [[{T_STEERING}]] se réunit régulièrement pour définir les orientations et les activités du \
réseau.
- Des groupes thématiques ont vu le jour : [[{T_WATER_GROUP}]], [[{T_HEALTH_GROUP}]] et \
[[{T_EDUCATION_GROUP}]].
- La rencontre devient annuelle, pour faire le point sur le travail engagé.
- Des formations accompagnent les structures dans le montage et le suivi de leurs projets.
"""

STEERING_V1 = f"""\
Le comité de pilotage a été proposé lors de la [[{T_MEETING}]]. Il définit les orientations du \
réseau et choisit les activités qui répondent aux questions soulevées ce jour-là.

## Missions

- fixer chaque année les priorités du réseau ;
- suivre le travail des groupes thématiques et soutenir leurs co-animateurs ;
- préparer la rencontre annuelle ;
- décider, avec les partenaires concernés, de ce qui peut être rendu public.

## Composition

- la coordination du réseau ;
- un co-animateur de chaque groupe thématique ;
- des représentants des structures bourguignonnes volontaires.

## Fonctionnement

Le comité se réunit une fois par trimestre. Le compte rendu de chaque réunion est ajouté à cette \
page, réservée aux membres.

## Prochaine réunion

Ordre du jour : bilan des groupes thématiques, préparation de la rencontre annuelle, relecture du \
[[{T_GUIDE}]].
"""

STEERING_V2 = STEERING_V1.replace(
    "- des représentants des structures bourguignonnes volontaires.\n",
    "- des représentants des structures bourguignonnes volontaires ;\n"
    "- deux représentants des partenaires maliens, désignés par eux-mêmes : un pour la région de "
    "Ségou, un pour celle de Koulikoro.\n",
).replace(
    "page, réservée aux membres.\n",
    "page, réservée aux membres.\n\n"
    "Les partenaires maliens participent à distance. Pour tenir compte des coupures et du coût de la "
    "connexion, l'ordre du jour et les documents sont envoyés une semaine à l'avance, en version "
    "légère. Un appel téléphonique ou un message vocal peut remplacer la visioconférence, et les avis "
    "envoyés par écrit avant la réunion sont lus en séance.\n",
)

GUIDE = f"""\
Une fiche d'expérience (ou fiche de capitalisation) raconte un projet pour que d'autres en tirent \
profit. Ce n'est pas un rapport d'activité pour un financeur : on y dit aussi ce qui n'a pas marché.

## Le minimum

Trois éléments seulement sont obligatoires : le **titre**, au moins un **thème** et le **lieu** \
(région, cercle et commune au Mali ; ville en France). Mieux vaut une fiche courte publiée qu'une \
fiche parfaite jamais terminée : elle pourra être complétée plus tard, par vous ou par vos \
partenaires.

## Les sections

- **Résumé** : trois ou quatre phrases pour savoir si la fiche vous concerne.
- **Période, partenaires, financeurs et budget** : qui a fait quoi, avec quels moyens.
- **Bénéficiaires, contexte, objectifs** : pour qui, dans quelle situation, pour obtenir quoi.
- **Démarche et actions** : les grandes étapes, dans l'ordre.
- **Résultats** : ce qui a changé, chiffres à l'appui quand c'est possible.
- **Difficultés et réponses apportées** : la section la plus utile aux autres. Soyez concrets.
- **Facteurs clés de succès, enseignements, recommandations** : ce que vous referiez, ce que vous \
changeriez, ce que vous conseilleriez à qui voudrait se lancer.
- **Pérennité** : qui fait vivre le projet aujourd'hui, avec quelles ressources.
- **Contacts** : à qui s'adresser pour en savoir plus.

## Regard du Nord, Regard du Sud

Chaque fiche donne la parole aux deux côtés du partenariat. Le **Regard du Nord** est écrit par un \
contributeur du Nord, le **Regard du Sud** par un contributeur du Sud ; personne ne peut modifier la \
section de l'autre côté (seuls les coordinateurs peuvent intervenir sur les deux). Les deux regards \
n'ont pas à être d'accord : c'est leur différence qui fait la richesse de la fiche.

## Statut

Une fiche passe de *brouillon* à *publiée*, puis à *validée par les partenaires* quand un \
contributeur de l'autre côté confirme qu'elle reflète bien le projet commun.

## Prudence

Les fiches sont réservées aux membres. Ne citez pas de personnes vivant au Mali sans leur accord, \
et ne demandez pas la publication d'une fiche sans l'avis de vos partenaires.

Pour un exemple complet, voir la fiche [[{T_WELL}]].
"""

PARTS_V1 = f"""\
Les pannes de pompe sont la première cause d'abandon des forages. Cette page rassemble ce que les \
membres du [[{T_WATER_GROUP}]] ont appris sur l'entretien des pompes à motricité humaine.

## Les pièces qui s'usent le plus

- les joints et les cuirs de piston, à changer tous les un à deux ans ;
- les roulements du levier ;
- les tiges de pompage, qui se corrodent dans les eaux agressives.

## Nos conseils

- Choisir un modèle de pompe répandu dans la région, dont les pièces se trouvent sur place.
- Prévoir dans le budget initial un premier lot de pièces d'usure.
- Former au moins un artisan réparateur dans la commune.

Voir aussi la fiche [[{T_WELL}]].
"""

PARTS_V2 = PARTS_V1.replace(
    "à changer tous les un à deux ans ;",
    "à changer chaque année quand la pompe sert beaucoup, surtout en saison sèche ;",
).replace(
    "## Nos conseils",
    "## Où trouver les pièces au Mali\n\n"
    "- À Ségou, plusieurs quincailliers du grand marché vendent les joints et les cuirs des modèles "
    "les plus courants. Les prix varient beaucoup : comparez avant d'acheter.\n"
    "- Les pièces plus rares (cylindres, tiges en inox) viennent de Bamako ; comptez une à deux "
    "semaines de délai.\n"
    "- L'artisan réparateur formé à Fanébougou intervient aussi dans les villages voisins ; ses "
    "coordonnées figurent dans la fiche.\n\n"
    "## Nos conseils",
)

PARTS_V3 = PARTS_V2.replace(
    "\nVoir aussi la fiche",
    "\n## Financer l'entretien\n\n"
    "Une caisse d'entretien, alimentée par une petite cotisation mensuelle des familles, permet de "
    "payer les réparations sans attendre l'aide du partenaire du Nord. À Fanébougou, 250 francs CFA "
    "par famille et par mois couvrent les pièces d'usure. L'essentiel est que la caisse soit tenue "
    "par le comité de gestion et que les comptes soient présentés au village.\n\n"
    "Voir aussi la fiche",
)

WATER_GROUP = f"""\
Le groupe réunit les membres qui travaillent sur l'accès à l'eau potable, l'hygiène et \
l'assainissement : forages, puits, latrines, gestion des points d'eau.

## Co-animation

Bernard Lachaux (Solidarité Auxois-Sahel) pour le Nord et Aminata Coulibaly (coopérative Benkadi, \
Ségou) pour le Sud.

## Chantiers en cours

- recenser les forages financés par les membres et l'état de leurs pompes ;
- tenir à jour la page [[{T_PARTS}]] ;
- comparer nos expériences de comités de gestion de l'eau et de paiement du service.

## Fiches du groupe

- [[{T_WELL}]]
- [[{T_VEGETABLES}]], qui prolonge le forage par le maraîchage

## Prochain échange

Un appel de groupe a lieu le premier mardi de chaque trimestre, à 10 h à Bamako (11 h en France \
l'hiver, midi l'été). Ceux qui ne peuvent pas se connecter envoient leurs nouvelles par écrit la \
veille.
"""

HEALTH_GROUP = f"""\
Ce groupe rassemble les membres qui soutiennent des structures de santé au Mali : centres de santé \
communautaires (CSCOM), maternités, mutuelles de santé, actions de prévention.

## Co-animation

Bernard Lachaux (Solidarité Auxois-Sahel) pour le Nord et Moussa Diarra (mairie de Dialakoro) pour \
le Sud.

## Nos priorités

- partager les expériences d'appui aux CSCOM et aux associations de santé communautaire (ASACO) \
qui les gèrent ;
- éviter les envois de matériel inadapté : acheter sur place chaque fois que c'est possible ;
- travailler avec les autorités sanitaires du cercle plutôt qu'à côté d'elles.

## Fiches du groupe

- [[{T_CSCOM}]]
- [[{T_SOLAR}]]

## À préparer

Pour la rencontre annuelle, chaque membre est invité à noter ce que coûte réellement le \
fonctionnement d'un CSCOM qu'il soutient (personnel, médicaments, énergie), afin de comparer nos \
situations.
"""

EDUCATION_GROUP = f"""\
Le groupe Éducation s'intéresse à la scolarisation, en particulier celle des filles, au soutien aux \
écoles et aux enseignants, ainsi qu'aux échanges entre élèves du Nord et du Sud.

## Co-animation

Claire Morand (coordination du réseau) pour le Nord et Moussa Diarra (mairie de Dialakoro) pour le \
Sud.

## Pistes de travail

- recenser les programmes de bourses et de parrainage menés par les membres, pour comparer leurs \
critères d'attribution ;
- développer les correspondances entre classes bourguignonnes et maliennes dans le cadre de \
l'éducation à la citoyenneté et à la solidarité internationale ;
- imaginer des échanges qui fonctionnent sans bonne connexion : lettres, messages vocaux, vidéos \
courtes transmises sur clé USB.

## Fiches du groupe

- [[{T_GIRLS}]]
- [[{T_ECSI_COLLEGE}]]
- [[{T_CANTEENS}]] (réservée au groupe)
"""

WELL_BODY = f"""\
Fiche rédigée par Solidarité Auxois-Sahel avec ses partenaires de Ségou. Les conseils pratiques \
sur l'entretien sont regroupés dans la page [[{T_PARTS}]] ; les échanges continuent dans le \
[[{T_WATER_GROUP}]].
"""

WELL_FIELDS = dict(
    region="Ségou", cercle="Ségou", commune="Fanébougou", period_start=2016, period_end=2019,
    partners_nord=["Solidarité Auxois-Sahel"],
    partners_sud=["Coopérative des femmes maraîchères Benkadi", "ONG Jigiya Développement"],
    abstract="Un forage de 62 mètres équipé d'une pompe manuelle dessert 900 habitants et le jardin de "
             "la coopérative des femmes. Après des pannes répétées la deuxième année, le village a créé "
             "une caisse d'entretien et formé un artisan réparateur.",
    funders="Agence de l'eau (dispositif « 1 % eau »), Conseil régional, dons des adhérents, apport du "
            "village en travail et en argent.",
    budget="31 500 € au total, dont 1 200 € d'apport villageois.",
    beneficiaries="Environ 900 habitants de Fanébougou, dont les 45 membres de la coopérative maraîchère.",
    context="Les familles puisaient l'eau dans deux puits traditionnels, à sec de mars à juin. Les femmes "
            "et les filles faisaient alors jusqu'à trois kilomètres pour trouver de l'eau, et les "
            "diarrhées étaient fréquentes chez les enfants.",
    objectives="Donner au village une eau potable toute l'année ; réduire le temps passé à la corvée "
               "d'eau ; permettre à la coopérative d'arroser son jardin en saison sèche.",
    actions="Étude du sous-sol et choix de l'emplacement avec le village (2016). Forage et pose de la "
            "pompe par une entreprise de Ségou (2017). Création d'un comité de gestion de sept membres, "
            "dont quatre femmes. Sensibilisation à l'hygiène par l'ONG partenaire. Formation d'un "
            "artisan réparateur (2018).",
    results="L'eau est de bonne qualité et disponible toute l'année. La corvée d'eau est passée "
            "d'environ trois heures à moins d'une heure par jour. La coopérative cultive en "
            "contre-saison et vend ses légumes à Ségou.",
    difficulties="La pompe est tombée en panne trois fois en 2018 : joints usés, puis tige de pompage "
                 "cassée. Les pièces ne se trouvaient qu'à Bamako et une réparation a pris cinq "
                 "semaines, pendant lesquelles le village est retourné aux puits. Réponses : un petit "
                 "stock de pièces d'usure à Ségou, un réparateur formé au village, une cotisation de "
                 "250 francs CFA par famille et par mois.",
    success_factors="La place des femmes dans le comité de gestion ; l'apport du village, même modeste, "
                    "qui en a fait son projet ; la présence permanente de l'ONG partenaire, qui a assuré "
                    "le suivi quand l'association ne pouvait plus se rendre sur place.",
    lessons="Le forage n'est que la moitié du projet : l'entretien doit être pensé et financé dès le "
            "départ. Un modèle de pompe courant dans la région vaut mieux qu'un modèle plus performant "
            "dont personne ne connaît les pièces.",
    recommendations="Budgéter un premier lot de pièces et la formation d'un réparateur ; mettre en place "
                    "la caisse d'entretien avant l'inauguration ; faire inscrire le point d'eau dans le "
                    "plan communal.",
    sustainability="Le comité de gestion tient la caisse (environ 180 000 francs CFA de réserve fin 2019) "
                   "et rend ses comptes au village deux fois par an. La mairie a inscrit le forage dans "
                   "l'inventaire communal des points d'eau.",
    contacts="Bernard Lachaux (Solidarité Auxois-Sahel) ; Aminata Coulibaly (coopérative Benkadi).",
    regard_nord="Nous avons longtemps mesuré notre réussite au nombre de forages financés. Fanébougou "
                "nous a appris que le vrai travail commence après l'inauguration. Ne plus pouvoir aller "
                "sur place nous a obligés à faire confiance à nos partenaires et à lire leurs comptes "
                "rendus de près : la relation en est sortie plus équilibrée.",
)

WELL_REGARD_SUD = (
    "Pour les femmes de la coopérative, l'eau a changé la vie : moins de fatigue, des filles qui restent "
    "à l'école, un revenu grâce au maraîchage. Nous aurions pourtant voulu être consultées plus tôt sur "
    "le choix de la pompe, car nous connaissions déjà les pannes de celles des villages voisins. "
    "Aujourd'hui, c'est nous qui tenons la caisse, et nous sommes fières de ne plus attendre l'aide de "
    "France pour réparer."
)

CSCOM_BODY = f"""\
Fiche rédigée par la mairie de Dialakoro et complétée par les partenaires bourguignons. Voir aussi \
le [[{T_HEALTH_GROUP}]].
"""

CSCOM_FIELDS = dict(
    region="Koulikoro", cercle="Koulikoro", commune="Dialakoro", period_start=2017, period_end=2021,
    partners_nord=["Comité de jumelage de Montrevel-en-Ouche", "Solidarité Auxois-Sahel"],
    partners_sud=["Conseil communal de Dialakoro", "ASACO de Dialakoro"],
    abstract="Rénovation et équipement de la maternité du centre de santé communautaire (CSCOM) de "
             "Dialakoro, formation de deux matrones et appui à la gestion. Les accouchements assistés "
             "ont plus que doublé ; le dépôt de médicaments reste fragile.",
    funders="Ville de Montrevel-en-Ouche (coopération décentralisée), appel à projets de l'État pour la "
            "coopération décentralisée, manifestations du comité de jumelage, commune de Dialakoro.",
    budget="46 000 € sur quatre ans, dont 4 500 € apportés par la commune de Dialakoro.",
    beneficiaries="Les quelque 14 000 habitants de l'aire de santé, en premier lieu les femmes enceintes "
                  "et les enfants de moins de cinq ans.",
    context="Le CSCOM, géré par l'association de santé communautaire (ASACO), occupait des locaux vétustes "
            "sans lumière la nuit. Beaucoup de femmes accouchaient à la maison, faute de confiance dans "
            "la maternité.",
    objectives="Améliorer les conditions d'accouchement ; augmenter les consultations prénatales et les "
               "accouchements assistés ; renforcer la gestion de l'ASACO.",
    actions="Rénovation de la maternité et installation de panneaux solaires (2017-2018). Achat au Mali "
            "d'un équipement de base : tables d'accouchement, lits, matériel de stérilisation. Formation "
            "de deux matrones avec le centre de santé de référence. Appui à la tenue des comptes de "
            "l'ASACO. Causeries dans les villages avec les relais communautaires.",
    results="Les accouchements assistés sont passés d'environ 180 à plus de 400 par an entre 2016 et "
            "2021, et les consultations prénatales ont doublé. La maternité fonctionne la nuit grâce à "
            "l'éclairage solaire.",
    difficulties="À partir de 2018, le comité de jumelage n'a plus pu se rendre sur place : les missions "
                 "ont été remplacées par des rapports trimestriels avec photos, envoyés par la mairie. "
                 "Le dépôt de médicaments a connu des ruptures, faute de trésorerie. Les batteries "
                 "solaires ont dû être changées plus tôt que prévu.",
    success_factors="La commune, maître d'ouvrage, a porté le projet et rendu compte régulièrement ; "
                    "l'achat du matériel au Mali plutôt que son envoi depuis la France ; l'appui "
                    "technique du district sanitaire.",
    lessons="Un partenariat entre collectivités apporte légitimité et continuité, même quand les élus "
            "changent. Les rapports écrits du partenaire malien sont devenus le principal outil de "
            "suivi : il faut les prévoir et les financer.",
    recommendations="Associer le district sanitaire dès le départ ; prévoir le remplacement des "
                    "batteries dans le budget ; soutenir la gestion de l'ASACO autant que les bâtiments.",
    sustainability="Le personnel est payé par l'ASACO, grâce aux consultations, et par la commune. Le "
                   "comité de jumelage continue de financer la formation des matrones.",
    contacts="Moussa Diarra (mairie de Dialakoro) ; Bernard Lachaux pour les questions d'équipement.",
    regard_sud="La maternité rénovée est devenue une fierté pour la commune. Ce que nous retenons surtout, "
               "c'est la confiance : quand nos amis de Montrevel n'ont plus pu venir, ils ont accepté de "
               "s'appuyer sur nos rapports. Nous voulons maintenant discuter ensemble des priorités, et "
               "pas seulement des financements.",
)

CSCOM_REGARD_NORD = (
    "Venue en appui du comité de jumelage pour l'équipement, notre association a appris à renoncer aux "
    "conteneurs de matériel envoyés depuis la France, coûteux et souvent inadaptés. Acheter sur place a "
    "fait travailler l'économie locale et facilité les réparations. Il nous reste à trouver comment "
    "continuer à nous rencontrer : accueillir une délégation de Dialakoro en Bourgogne est notre "
    "prochain souhait."
)

GIRLS_BODY = f"""\
Fiche saisie par la coordination à partir des bilans du comité de jumelage et de la mairie de \
Dialakoro. Les échanges sur la scolarisation se poursuivent dans le [[{T_EDUCATION_GROUP}]].
"""

GIRLS_FIELDS = dict(
    region="Koulikoro", cercle="Koulikoro", commune="Dialakoro", period_start=2018, period_end=2022,
    partners_nord=["Comité de jumelage de Montrevel-en-Ouche", "Collège du Val d'Ouche"],
    partners_sud=["Conseil communal de Dialakoro", "ONG Jigiya Développement"],
    abstract="Bourses, fournitures et soutien scolaire pour que les filles de Dialakoro poursuivent leurs "
             "études jusqu'au diplôme de fin de second cycle (DEF). Une correspondance entre élèves de "
             "Dialakoro et du collège du Val d'Ouche fait vivre le partenariat en Bourgogne.",
    funders="Parrainages de familles bourguignonnes collectés par le comité de jumelage, Conseil "
            "départemental, foyer socio-éducatif du collège, commune de Dialakoro (cantine).",
    budget="Environ 9 000 € par an, soit 36 000 € sur quatre ans.",
    beneficiaries="120 filles par an en moyenne, dans les trois écoles de la commune, et leurs familles.",
    context="Beaucoup de filles quittaient l'école vers douze ou treize ans : frais de scolarité et de "
            "fournitures, travaux domestiques, mariages précoces, éloignement du second cycle.",
    objectives="Réduire l'abandon scolaire des filles ; améliorer leurs résultats au DEF ; faire évoluer "
               "le regard des familles sur les études des filles.",
    actions="Bourses couvrant frais et fournitures, attribuées par un comité communal. Cours de soutien "
            "le soir, assurés par des enseignants volontaires, et lampes solaires pour réviser. "
            "Causeries avec les mères et les chefs de famille, animées par l'ONG partenaire. Échanges de "
            "lettres et de vidéos entre classes de Dialakoro et de Montrevel-en-Ouche.",
    results="L'abandon des filles boursières est tombé sous 10 %, contre près de 35 % auparavant. En "
            "2022, 27 boursières ont obtenu le DEF. Au collège du Val d'Ouche, quatre classes ont "
            "participé à la correspondance.",
    difficulties="Fermetures d'écoles liées à l'insécurité, puis à la crise sanitaire en 2020. Critères "
                 "d'attribution contestés la première année : un comité communal incluant des mères "
                 "d'élèves a été créé. Correspondance difficile à tenir quand la connexion est coupée.",
    success_factors="Le soutien public de la mairie et des chefs de village ; la place donnée aux mères "
                    "dans les décisions ; l'enthousiasme des élèves des deux côtés.",
    lessons="Une bourse seule ne suffit pas : le soutien scolaire et le dialogue avec les familles "
            "comptent autant. La correspondance a donné un visage au partenariat en Bourgogne et attiré "
            "de nouveaux bénévoles.",
    recommendations="Confier l'attribution des bourses à un comité local transparent ; prévoir des "
                    "échanges qui se passent d'internet (lettres, clés USB, messages vocaux) ; suivre "
                    "les filles au-delà du DEF.",
    sustainability="La commune finance désormais la cantine ; le comité de jumelage élargit les "
                   "parrainages pour ne plus dépendre d'une subvention annuelle.",
    contacts="Moussa Diarra (mairie de Dialakoro) ; Hélène Vautrin (collège du Val d'Ouche) pour la "
             "correspondance scolaire.",
    regard_nord="Pour le comité de jumelage, ce projet a renouvelé le lien avec les habitants de "
                "Montrevel : les collégiens ont découvert Dialakoro autrement que par les images de "
                "crise. Nous avons aussi compris que le choix des bénéficiaires revenait à nos "
                "partenaires, pas à nous.",
)

GIRLS_REGARD_SUD = (
    "Au début, certains parents pensaient que l'école éloignait les filles de la famille. Les causeries "
    "et l'exemple des premières diplômées ont fait changer les choses. Nous demandons maintenant à nos "
    "partenaires de nous aider à accompagner les filles vers le lycée et la formation professionnelle, "
    "qui se trouvent à Koulikoro."
)

# More sheets: one text for the page, the sections in `fields`, the voices added later. ----------

CEREALS_BODY = """\
Fiche rédigée par Solidarité Auxois-Sahel avec l'association des ressortissants de Tinkaré en \
Bourgogne. Le comité villageois doit encore y ajouter son regard.
"""

CEREALS_FIELDS = dict(
    region="Kayes", cercle="Diéma", commune="Tinkaré", period_start=2014, period_end=2018,
    partners_nord=["Solidarité Auxois-Sahel", "Association des ressortissants de Tinkaré en Bourgogne"],
    partners_sud=["Comité villageois de Tinkaré", "Conseil communal de Tinkaré"],
    abstract="Un magasin villageois et un stock de 40 tonnes de mil et de sorgho, vendu à prix modéré "
             "pendant la soudure. Le projet est né d'une demande des ressortissants du village installés "
             "en Bourgogne ; le stock a été reconstitué trois années sur quatre.",
    funders="Cotisations de l'association des ressortissants, Solidarité Auxois-Sahel, Conseil régional ; "
            "la commune a fourni le terrain.",
    budget="22 000 € : 9 000 € pour le magasin, 11 000 € pour le stock de départ, 2 000 € pour la "
           "formation du comité de gestion.",
    beneficiaries="Les quelque 1 600 habitants de Tinkaré et de deux hameaux voisins, en priorité les "
                  "familles sans réserves en fin de saison sèche.",
    context="De juin à septembre, les greniers familiaux se vident avant la récolte. Le mil se vendait "
            "alors deux fois plus cher qu'après la récolte ; beaucoup de familles s'endettaient ou "
            "vendaient leur bétail à bas prix. Les ressortissants en France envoyaient de l'argent en "
            "urgence, sans solution durable.",
    objectives="Rendre le mil accessible à prix stable pendant la soudure ; éviter la vente du bétail à "
               "perte ; confier la gestion à un comité élu par le village.",
    actions="Assemblées villageoises pour fixer les règles (prix, quantité par famille, crédit). "
            "Construction d'un magasin en banco amélioré, sur dalle et ventilé (2015). Achat du premier "
            "stock juste après la récolte, quand les prix sont bas. Formation du comité à la tenue du "
            "cahier de stock et de la caisse, et au traitement des grains. Vente pendant la soudure, puis "
            "reconstitution du stock à la récolte suivante.",
    results="Le stock a été reconstitué en 2016, 2017 et 2018. Pendant la soudure, le mil du magasin est "
            "resté environ 30 % moins cher qu'au marché. Les ressortissants n'ont plus eu à envoyer "
            "d'argent en urgence pour la nourriture.",
    difficulties="En 2017, des ventes à crédit accordées à des proches du comité n'ont pas été remboursées "
                 "et le stock a baissé d'un quart : le village a renouvelé le comité et limité le crédit "
                 "à un mois. La première année, les charançons ont abîmé une partie du grain ; un "
                 "traitement et un rangement sur palettes ont réglé le problème.",
    success_factors="Une demande venue du village et de ses ressortissants ; des règles discutées en "
                    "assemblée et affichées au magasin ; une commune qui a inscrit la banque de céréales "
                    "dans son plan de développement.",
    lessons="Gérer un stock demande autant de formation que de capital. Un comité renouvelé régulièrement "
            "et des comptes présentés en public préviennent les dérives. Le lien avec les ressortissants "
            "est une force, à condition que les décisions restent au village.",
    recommendations="Écrire les règles de crédit avant la première vente ; acheter juste après la "
                    "récolte ; garder une réserve pour le traitement des grains et l'entretien du "
                    "magasin ; associer la mairie dès le départ.",
    sustainability="Le comité reconstitue le stock avec les recettes des ventes ; la petite marge couvre "
                   "l'entretien du magasin. Les ressortissants relisent les comptes une fois par an.",
    contacts="Bernard Lachaux (Solidarité Auxois-Sahel) ; l'association des ressortissants, par "
             "l'intermédiaire de la coordination.",
    regard_nord="Le grand intérêt de ce projet a été de travailler avec les ressortissants du village : "
                "ils connaissent les familles et les équilibres mieux que nous ne les connaîtrons jamais. "
                "Nous avons appris à rester en retrait et à apporter surtout des conseils de gestion. "
                "L'épisode des crédits non remboursés nous a inquiétés, mais la réponse est venue du "
                "village lui-même.",
)

VEGETABLES_BODY = f"""\
Fiche rédigée par la coopérative Benkadi. Elle prolonge la fiche [[{T_WELL}]] : sans l'eau du forage, \
pas de maraîchage en saison sèche.
"""

VEGETABLES_FIELDS = dict(
    region="Ségou", cercle="Ségou", commune="Fanébougou", period_start=2019, period_end=2023,
    partners_nord=["Solidarité Auxois-Sahel"],
    partners_sud=["Coopérative des femmes maraîchères Benkadi", "ONG Jigiya Développement"],
    abstract="Après l'arrivée de l'eau, la coopérative produisait plus de légumes qu'elle ne pouvait en "
             "vendre. Deux séchoirs solaires, une formation à la transformation et un point de vente "
             "partagé à Ségou permettent de vendre toute l'année ; le revenu moyen des membres a presque "
             "doublé.",
    funders="Fonds propres de la coopérative, Solidarité Auxois-Sahel (dons et ventes d'artisanat en "
            "Bourgogne), une fondation d'entreprise, un microcrédit d'une caisse d'épargne locale.",
    budget="14 500 € sur quatre ans, dont 2 500 € apportés par la coopérative.",
    beneficiaries="Les 45 membres de la coopérative et leurs familles ; une dizaine de jeunes femmes "
                  "formées depuis par les membres.",
    context="Avec le forage, la coopérative cultive en contre-saison. Mais en février et en mars, tout le "
            "monde récolte en même temps : tomates et oignons se vendaient à perte ou pourrissaient.",
    objectives="Réduire les pertes après récolte ; vendre hors saison à meilleur prix ; donner aux femmes "
               "un revenu régulier dont elles décident l'usage.",
    actions="Visite d'une coopérative de transformation de Ségou et choix des produits : tomate séchée, "
            "oignon séché, piment. Construction de deux séchoirs solaires par un artisan local (2019). "
            "Formation à l'hygiène, au conditionnement et à la gestion par l'ONG partenaire. Ouverture "
            "d'un point de vente partagé avec deux autres groupements au marché de Ségou (2021). Création "
            "d'un petit fonds de crédit interne.",
    results="Les pertes sont passées d'environ un tiers de la récolte à moins de 10 %. La tomate séchée "
            "se vend toute l'année, y compris à deux restaurants de Ségou. Le revenu moyen des membres a "
            "presque doublé entre 2019 et 2023.",
    difficulties="Les premiers sachets, mal fermés, ont pris l'humidité : un emballage plus épais, acheté "
                 "à Bamako, a renchéri le produit. Face aux produits importés, la coopérative a misé sur "
                 "la qualité et la vente directe. Pendant les périodes d'insécurité, un commerçant de "
                 "confiance a assuré le transport jusqu'à Ségou.",
    success_factors="Une coopérative déjà organisée, habituée à tenir une caisse ; l'appui de proximité de "
                    "l'ONG ; des produits choisis d'après le marché local et non d'après les goûts du Nord.",
    lessons="Produire ne suffit pas : c'est la vente qui fait le revenu. Les petits équipements réparables "
            "sur place tiennent mieux que le matériel sophistiqué.",
    recommendations="Étudier les débouchés avant d'investir ; commencer par un ou deux produits ; soigner "
                    "l'emballage ; s'associer à d'autres groupements pour tenir un point de vente.",
    sustainability="La coopérative finance seule l'entretien des séchoirs et les emballages. Le fonds de "
                   "crédit interne est remboursé à plus de 95 %.",
    contacts="Aminata Coulibaly (coopérative Benkadi) ; Bernard Lachaux (Solidarité Auxois-Sahel).",
    regard_sud="Ce projet, nous l'avons voulu et conduit. Nos partenaires ont accepté que nous choisissions "
               "nous-mêmes les produits, même quand ils pensaient à la confiture de mangue ! Des femmes "
               "qui n'avaient jamais eu d'argent à elles décident maintenant de son usage. Notre prochain "
               "souhait : un local de stockage à Fanébougou.",
)

VEGETABLES_REGARD_NORD = (
    "Nous avons surtout appris à écouter. Notre première idée n'était pas la bonne, et l'étude du marché "
    "menée par la coopérative a évité un échec. Pour nos adhérents, c'est devenu un projet à raconter : "
    "ils suivent les ventes de Fanébougou comme celles d'une entreprise amie."
)

SOLAR_BODY = f"""\
Fiche saisie par la coordination à partir du bilan d'Énergies solidaires du Morvan, qui n'a pas \
encore de compte sur Passerelle ; le Regard du Sud a été transmis par l'association Kènèya Ton. \
Voir aussi le [[{T_HEALTH_GROUP}]].
"""

SOLAR_FIELDS = dict(
    region="Sikasso", cercle="Koutiala", commune="Niankoro", period_start=2020, period_end=2022,
    partners_nord=["Énergies solidaires du Morvan"],
    partners_sud=["Association Kènèya Ton", "ASACO de Niankoro"],
    abstract="Une installation solaire de 3 kWc alimente l'éclairage, un réfrigérateur à vaccins et la "
             "pompe du centre de santé communautaire de Niankoro ; deux jeunes du village ont été formés à "
             "l'entretien. Les accouchements de nuit se font à la lumière et la chaîne du froid n'est plus "
             "rompue.",
    funders="Énergies solidaires du Morvan (dons et mécénat), syndicat départemental d'énergie "
            "(dispositif de solidarité internationale), ASACO de Niankoro.",
    budget="27 000 €, dont 1 500 € de l'ASACO ; le village a fourni la main-d'œuvre pour les tranchées.",
    beneficiaries="Environ 9 000 habitants de l'aire de santé et le personnel du centre.",
    context="Le centre dépendait d'un groupe électrogène coûteux, souvent arrêté faute de carburant. Les "
            "accouchements de nuit se faisaient à la lampe torche et les vaccins devaient être cherchés à "
            "Koutiala la veille de chaque séance.",
    objectives="Fournir une électricité fiable et sans carburant ; conserver les vaccins sur place ; "
               "réduire les dépenses d'énergie de l'ASACO.",
    actions="Bilan des besoins avec l'équipe du centre et l'ASACO (2020). Dimensionnement par les "
            "bénévoles d'Énergies solidaires du Morvan, vérifié par un installateur de Sikasso. Achat du "
            "matériel au Mali et pose par cette entreprise (2021). Formation de deux jeunes du village à "
            "l'entretien courant. Contrat d'entretien annuel signé avec l'installateur.",
    results="Le centre a de l'électricité jour et nuit depuis avril 2021. Grâce au réfrigérateur solaire, "
            "les séances de vaccination sont passées d'une à quatre par mois. L'ASACO économise environ "
            "600 000 francs CFA de carburant par an.",
    difficulties="Le prix des batteries a augmenté de 30 % entre le devis et l'achat : le nombre de "
                 "points lumineux a été réduit. Les missions de bénévoles prévues n'ont pas pu avoir "
                 "lieu ; le suivi s'est fait par visioconférence et par les photos de l'installateur. Un "
                 "onduleur en panne pendant la garantie a mis trois semaines à être remplacé.",
    success_factors="Un installateur malien compétent, responsable de la garantie ; du matériel de marques "
                    "disponibles à Bamako ; deux techniciens formés au village.",
    lessons="Acheter sur place coûte parfois plus cher à l'achat, mais beaucoup moins à l'entretien. Un "
            "contrat d'entretien signé avant la pose évite bien des discussions.",
    recommendations="Prévoir 15 % d'imprévus sur le matériel ; faire vérifier les calculs par un "
                    "professionnel local ; épargner une partie des économies de carburant pour renouveler "
                    "les batteries.",
    sustainability="L'ASACO verse chaque mois une partie du carburant économisé sur un compte réservé au "
                   "remplacement des batteries, prévu vers 2030.",
    contacts="Énergies solidaires du Morvan et association Kènèya Ton (voir l'annuaire).",
    regard_nord="Nos bénévoles, souvent d'anciens électriciens, rêvaient d'aller poser les panneaux "
                "eux-mêmes. L'insécurité les en a empêchés, et ce fut une chance : l'installateur de "
                "Sikasso a fait mieux que nous, et il est là pour les pannes. Notre rôle s'est recentré "
                "sur le conseil technique à distance et la recherche de financements.",
)

SOLAR_REGARD_SUD = (
    "Avant, une femme qui accouchait la nuit devait apporter sa lampe et son pétrole. Aujourd'hui le "
    "centre est éclairé et les mères viennent plus volontiers. Nous aurions voulu que les deux techniciens "
    "soient indemnisés dès le début : c'est l'ASACO qui le fait maintenant, et nous demandons à nos "
    "partenaires de nous aider à rendre cette indemnité durable."
)

ZAI_BODY = """\
Fiche rédigée par la coopérative Benkadi, qui a accueilli en 2019 une visite d'échange des paysans du \
plateau, à partir des informations transmises par leur union. Par prudence, ni les villages ni les \
personnes ne sont nommés.
"""

ZAI_FIELDS = dict(
    region="Mopti", cercle="Bandiagara", period_start=2015, period_end=2020,
    partners_nord=["Solidarité Auxois-Sahel"],
    partners_sud=["Union des groupements paysans du plateau", "Coopérative des femmes maraîchères Benkadi"],
    abstract="Dans trois villages du cercle de Bandiagara, les paysans ont aménagé 120 hectares de champs "
             "dégradés avec des cordons de pierres et le zaï (poquets enrichis de fumure). L'eau de pluie "
             "reste dans les champs et les rendements de mil ont plus que doublé.",
    funders="Solidarité Auxois-Sahel, agence de l'eau (volet eau et climat), travail des familles.",
    budget="18 000 € sur six ans (outils, charrettes, formation, suivi), sans compter le travail des "
           "paysans, estimé à plus de 6 000 journées.",
    beneficiaries="Environ 210 familles de trois villages, dont une quarantaine de femmes qui cultivent "
                  "désormais une parcelle aménagée.",
    context="Sur le plateau, des pluies de plus en plus irrégulières ruissellent sur des sols nus et "
            "emportent la terre. Des champs étaient abandonnés et les jeunes partaient chercher du "
            "travail ailleurs.",
    objectives="Retenir l'eau et la terre dans les champs ; remettre en culture des terres abandonnées ; "
               "améliorer les récoltes sans engrais coûteux.",
    actions="Visite d'échange chez des paysans qui pratiquaient déjà le zaï. Formation de paysans relais "
            "au tracé des courbes de niveau avec un niveau à eau fabriqué sur place. Achat de pioches, de "
            "brouettes et de deux charrettes. Travaux collectifs en saison sèche, de janvier à mai. "
            "Compostage et fosses fumières dans chaque concession.",
    results="120 hectares aménagés en six ans. Sur les parcelles aménagées, le mil est passé d'environ 300 "
            "à 700 kg par hectare selon les relevés des paysans relais. Des arbres repoussent "
            "naturellement le long des cordons.",
    difficulties="À partir de 2018, l'insécurité a limité les déplacements entre villages et interrompu "
                 "les visites extérieures ; les paysans relais ont continué seuls et transmis leurs "
                 "relevés par téléphone. Le transport des pierres est épuisant : les charrettes circulent "
                 "selon un calendrier fixé par les groupements. L'accès des femmes aux parcelles "
                 "aménagées a dû être négocié avec les chefs de famille.",
    success_factors="Une technique paysanne, peu coûteuse, qui ne dépend d'aucun matériel importé ; des "
                    "relais présents en permanence ; un travail organisé par les groupements.",
    lessons="Les résultats se voient dès la deuxième saison, ce qui entraîne les voisins. Quand les "
            "partenaires ne peuvent plus venir, ce sont les personnes formées sur place qui font vivre le "
            "projet.",
    recommendations="Former des relais dans chaque village plutôt que compter sur des visites ; budgéter "
                    "le transport des pierres ; négocier dès le départ l'accès des femmes aux terres "
                    "aménagées.",
    sustainability="Les groupements poursuivent les aménagements chaque saison sèche sans financement "
                   "extérieur ; seules les charrettes demandent un peu d'entretien.",
    contacts="Par l'intermédiaire de la coordination du réseau, pour des raisons de sécurité.",
    regard_sud="Lors de leur visite à Fanébougou, les paysans du plateau nous ont appris autant que nous "
               "leur avons appris : eux savent garder l'eau dans la terre, nous savons vendre les légumes. "
               "Ces échanges entre paysans maliens doivent continuer, même quand les routes sont "
               "difficiles. C'est une coopération entre nous, que nos partenaires du Nord peuvent "
               "soutenir.",
)

TRAINING_BODY = """\
Fiche rédigée par Solidarité Auxois-Sahel pour Énergies solidaires du Morvan, qui n'a pas encore de \
compte sur Passerelle. Le centre Sababu est invité à y ajouter son regard.
"""

TRAINING_FIELDS = dict(
    region="District de Bamako", cercle="Commune VI", period_start=2021, period_end=2024,
    partners_nord=["Énergies solidaires du Morvan", "Solidarité Auxois-Sahel"],
    partners_sud=["Centre de formation aux métiers Sababu"],
    abstract="Un module de six mois forme chaque année une vingtaine de jeunes de Bamako à la pose et à "
             "l'entretien d'installations solaires, stage en entreprise compris. Sur trois promotions, "
             "deux jeunes sur trois travaillent dans le solaire, salariés ou à leur compte.",
    funders="Énergies solidaires du Morvan, Conseil régional (jeunesse et coopération), une fondation "
            "d'entreprise, frais d'inscription modestes des apprenants.",
    budget="Environ 16 000 € par an : formateurs, matériel pédagogique, transport des apprenants, kits "
           "d'outillage.",
    beneficiaries="62 jeunes de 18 à 25 ans en trois promotions, dont 14 jeunes femmes ; la plupart "
                  "avaient quitté l'école avant le baccalauréat.",
    context="Le solaire se développe vite au Mali, mais beaucoup d'installations sont mal dimensionnées "
            "et tombent en panne. Les entreprises de Bamako cherchent des techniciens, alors que beaucoup "
            "de jeunes sont sans emploi ni qualification.",
    objectives="Former des techniciens compétents ; faciliter leur embauche ou leur installation à leur "
               "compte ; améliorer la qualité des installations.",
    actions="Programme conçu avec le centre Sababu et deux entreprises de Bamako (2021). Banc "
            "d'essai pédagogique acheté sur place. Théorie le matin, pratique l'après-midi. Stage de deux "
            "mois en entreprise. Kit d'outillage remis en fin de formation, remboursable par petites "
            "sommes.",
    results="Trois promotions formées de 2022 à 2024. Six mois après la formation, 41 jeunes sur 62 "
            "travaillent dans le solaire. Deux entreprises partenaires recrutent désormais directement à "
            "la sortie du centre.",
    difficulties="Les longues coupures d'électricité de 2023 et 2024 ont désorganisé les cours, mais fait "
                 "grimper la demande de solaire. Peu de jeunes femmes s'étaient inscrites la première "
                 "année : le centre a présenté la formation dans les lycées et recruté une formatrice. Le "
                 "remboursement des kits reste irrégulier.",
    success_factors="Des entreprises associées dès la conception ; un centre de formation malien reconnu ; "
                    "des bénévoles du Nord qui apportent un savoir-faire sans se substituer aux formateurs.",
    lessons="L'embauche se prépare pendant la formation, avec les employeurs. Une formatrice a fait venir "
            "plus de jeunes femmes que toutes les affiches.",
    recommendations="Associer des employeurs dès le départ ; financer le transport des apprenants ; suivre "
                    "les jeunes au moins six mois après la formation.",
    sustainability="Le centre Sababu a inscrit le module à son catalogue et demande sa reconnaissance par "
                   "l'État ; les entreprises prennent en charge une partie des stages.",
    contacts="Énergies solidaires du Morvan (voir l'annuaire) ; Bernard Lachaux pour Solidarité "
             "Auxois-Sahel.",
    regard_nord="Pour nos bénévoles retraités de l'électricité, ce projet a été l'occasion de transmettre "
                "un métier. Il a fallu changer nos habitudes : les normes, le matériel et les clients ne "
                "sont pas ceux de la Bourgogne. Nous attendons le regard du centre Sababu pour savoir ce "
                "qu'il faudrait changer pour la prochaine promotion.",
)

CANTEENS_BODY = f"""\
Fiche réservée aux membres du [[{T_EDUCATION_GROUP}]] : par prudence, ni les écoles, ni les villages, \
ni l'association malienne qui gère le projet ne sont nommés. Elle a été rédigée par le co-animateur \
Sud du groupe à partir des rapports de cette association.
"""

CANTEENS_FIELDS = dict(
    region="Tombouctou", cercle="Goundam", period_start=2017, period_end=2023,
    partners_nord=["Solidarité Auxois-Sahel"],
    partners_sud=["Association locale de parents d'élèves (nom non publié)"],
    abstract="Dans quatre écoles rurales du cercle de Goundam, des cantines servent un repas par jour à "
             "environ 600 élèves. Des comités de mères les gèrent et un champ scolaire fournit une partie "
             "des céréales. Les écoles sont restées ouvertes malgré un contexte très difficile.",
    funders="Solidarité Auxois-Sahel, parrainages, contributions des parents en nature (céréales, bois), "
            "programme national d'alimentation scolaire pour une partie des denrées.",
    budget="Environ 11 000 € par an pour les quatre écoles.",
    beneficiaries="Environ 600 élèves chaque année, dont près de la moitié de filles, et les comités de "
                  "mères qui tiennent les cantines.",
    context="Dans ces villages éloignés, beaucoup d'enfants venaient à l'école le ventre vide ou ne "
            "revenaient pas l'après-midi. Les crises alimentaires et l'insécurité ont poussé des familles à "
            "retirer leurs enfants de l'école.",
    objectives="Garder les enfants à l'école toute la journée ; améliorer leur alimentation et leur "
               "attention en classe ; soutenir en particulier la scolarisation des filles.",
    actions="Choix des écoles avec les autorités scolaires du cercle. Réfection des cuisines et foyers "
            "améliorés. Achat des denrées sur les marchés locaux, deux fois par an. Gestion par des "
            "comités de mères formés à la tenue des stocks. Champ scolaire de mil et de niébé cultivé avec "
            "les parents.",
    results="Les quatre écoles ont fonctionné chaque année, hormis quelques semaines de fermeture en "
            "2020. La présence l'après-midi a nettement progressé et les enseignants notent une meilleure "
            "attention. Le champ scolaire couvre environ un quart des céréales consommées.",
    difficulties="Le transport des denrées est devenu risqué et plus cher : les achats se font sur les "
                 "marchés les plus proches, en petites quantités. Aucune visite extérieure n'est possible ; "
                 "le suivi repose sur les rapports des comités et des photos envoyées par téléphone, que "
                 "les partenaires acceptent comme justificatifs. Des enseignants ont quitté la zone ; des "
                 "volontaires des villages les ont parfois remplacés.",
    success_factors="Des comités de mères respectés et rigoureux ; des achats locaux qui soutiennent les "
                    "producteurs ; la discrétion du projet, qui n'affiche aucun logo étranger.",
    lessons="Là où l'on ne peut plus aller, le partenariat tient sur la confiance et sur des comptes "
            "simples. Le repas est parfois la principale raison pour laquelle une famille laisse ses "
            "enfants à l'école.",
    recommendations="Acheter local et en petites quantités ; confier la gestion aux mères ; convenir dès "
                    "le début d'un suivi à distance accepté par tous ; rester discret.",
    sustainability="Le champ scolaire et les contributions des parents couvrent une part croissante des "
                   "besoins, mais les cantines dépendent encore d'un appui extérieur.",
    contacts="Par l'intermédiaire du co-animateur Sud du groupe Éducation.",
    regard_sud="Nous tenions à ce que cette expérience figure dans le wiki, même réservée au groupe : elle "
               "montre qu'on peut continuer à agir là où plus personne ne vient. Les mères ont montré un "
               "grand courage. Nous demandons à nos partenaires de continuer à accepter des rapports "
               "simples, et de ne pas suspendre leur appui au premier retard.",
)

ECSI_COLLEGE_BODY = f"""\
Fiche saisie par la coordination avec l'équipe du collège. Les échanges entre classes se poursuivent \
dans le [[{T_EDUCATION_GROUP}]] ; voir aussi la fiche [[{T_GIRLS}]].
"""

ECSI_COLLEGE_FIELDS = dict(
    town_fr="Montrevel-en-Ouche", period_start=2019, period_end=2024,
    partners_nord=["Collège du Val d'Ouche", "Comité de jumelage de Montrevel-en-Ouche"],
    partners_sud=["Conseil communal de Dialakoro"],
    abstract="Chaque novembre, les élèves de cinquième consacrent une semaine à la solidarité "
             "internationale : correspondance avec deux classes de Dialakoro, ateliers sur l'eau et "
             "l'alimentation, débat avec le comité de jumelage, puis exposition et repas ouverts aux "
             "familles.",
    funders="Foyer socio-éducatif du collège, Conseil départemental (projets éducatifs), comité de "
            "jumelage.",
    budget="Environ 1 800 € par an (intervenants, matériel, repas, envois).",
    beneficiaries="Environ 110 élèves de cinquième par an et leurs familles ; les élèves de deux classes "
                  "de Dialakoro.",
    context="Les collégiens connaissaient surtout le Mali par les images de crise. Le comité de jumelage "
            "voulait intéresser les jeunes générations ; le collège cherchait à donner du sens à "
            "l'enseignement moral et civique.",
    objectives="Découvrir la vie quotidienne d'enfants du même âge à Dialakoro ; comprendre les liens "
               "entre notre quotidien et celui du Sahel (eau, alimentation, climat) ; donner envie de "
               "s'engager.",
    actions="Lettres et dessins échangés avec deux classes de Dialakoro dès la rentrée. Ateliers menés par "
            "les professeurs et le comité de jumelage : le trajet de l'eau, « que mange-t-on à "
            "Dialakoro ? », un jeu de rôle sur le commerce. Débat avec des bénévoles et, quand la "
            "connexion le permet, un appel avec l'école de Dialakoro. Exposition et repas le vendredi.",
    results="Six éditions de 2019 à 2024, dont une à distance en 2020. Chaque année, une vingtaine "
            "d'élèves rejoignent le club solidarité du collège ; plusieurs anciens élèves sont devenus "
            "bénévoles du comité de jumelage.",
    difficulties="Le courrier met des semaines : les lettres voyagent désormais avec les documents de la "
                 "mairie, scannées puis imprimées à l'arrivée. L'appel vidéo échoue souvent ; un message "
                 "vocal enregistré à l'avance par les élèves de Dialakoro le remplace. Il faut éviter de "
                 "présenter le Mali comme un pays seulement pauvre : les ateliers partent de ce que les "
                 "deux classes ont en commun.",
    success_factors="Un partenariat ancien entre les deux communes ; une équipe de professeurs stable ; des "
                    "élèves de Dialakoro qui écrivent eux-mêmes, sans textes préparés par les adultes.",
    lessons="Une correspondance n'a de sens que si elle va dans les deux sens, au même rythme. Les élèves "
            "retiennent mieux ce qu'ils ont fabriqué que ce qu'on leur a montré.",
    recommendations="Lancer les échanges dès la rentrée ; prévoir une solution sans internet ; associer "
                    "les familles ; demander aux partenaires du Sud ce qu'ils souhaitent que l'on dise "
                    "d'eux.",
    sustainability="La semaine est inscrite au projet d'établissement ; le comité de jumelage finance les "
                   "envois et mobilise ses bénévoles.",
    contacts="Collège du Val d'Ouche et Comité de jumelage de Montrevel-en-Ouche (voir l'annuaire).",
    regard_nord="Chaque année, les professeurs voient des élèves changer de regard : on passe de « là-bas, "
                "ils n'ont rien » à « nos correspondants jouent aussi au foot ». Pour le comité de "
                "jumelage, c'est la meilleure façon de faire vivre le partenariat à Montrevel tant que "
                "les voyages restent impossibles.",
)

ECSI_COLLEGE_REGARD_SUD = (
    "À Dialakoro, les élèves attendent les lettres de Montrevel et les lisent devant toute la classe. "
    "Nous avons demandé que nos enfants puissent parler de leurs réussites, pas seulement de leurs "
    "besoins, et les collégiens ont posé de bonnes questions sur nos récoltes et nos fêtes. Nous "
    "aimerions qu'un jour des élèves des deux communes puissent se rencontrer."
)

TALES_BODY = """\
*Brouillon* : la fiche sera complétée (résultats, enseignements, regards) après le bilan avec la \
coopérative Benkadi.
"""

TALES_FIELDS = dict(
    town_fr="Semur-en-Auxois", period_start=2024, period_end=2024,
    partners_nord=["Solidarité Auxois-Sahel", "Médiathèque municipale de Semur-en-Auxois"],
    partners_sud=["Coopérative des femmes maraîchères Benkadi"],
    abstract="Une exposition de trente photos prises par les femmes de la coopérative Benkadi, présentée "
             "un mois à la médiathèque, et une soirée de contes sahéliens et bourguignons suivie d'un "
             "échange avec la coopérative.",
    funders="Solidarité Auxois-Sahel ; la commune prête la salle ; participation libre.",
    budget="Environ 1 200 € (tirages, cachets des conteurs, communication).",
    context="Depuis que les voyages au Mali sont impossibles, l'association peine à faire connaître ses "
            "partenaires et à recruter des bénévoles. Les femmes de la coopérative ont proposé de montrer "
            "elles-mêmes leur quotidien.",
    objectives="Donner la parole en images aux partenaires de Ségou ; toucher un public qui ne vient pas "
               "aux assemblées générales ; trouver de nouveaux bénévoles.",
    actions="Envoi de deux appareils photo à la coopérative (2023). Choix des photos et des légendes par "
            "les femmes elles-mêmes. Tirages et accrochage à la médiathèque. Soirée avec un conteur "
            "bourguignon et une conteuse malienne installée à Dijon, puis message vocal de la coopérative "
            "en réponse aux questions du public.",
)

CIVIL_BODY = """\
Fiche rédigée par la mairie de Dialakoro. Le comité de jumelage de Montrevel-en-Ouche est invité à \
y ajouter son regard.
"""

CIVIL_FIELDS = dict(
    region="Koulikoro", cercle="Koulikoro", commune="Dialakoro", period_start=2019, period_end=2023,
    partners_nord=["Comité de jumelage de Montrevel-en-Ouche"],
    partners_sud=["Conseil communal de Dialakoro"],
    abstract="La commune a ouvert des centres secondaires d'état civil dans les villages éloignés, formé "
             "leurs agents et organisé la déclaration des naissances à la maternité. La part des naissances "
             "déclarées dans les délais est passée d'environ la moitié à plus de 85 %.",
    funders="Commune de Dialakoro ; Ville de Montrevel-en-Ouche (coopération décentralisée).",
    budget="8 500 € sur quatre ans (registres, armoires, formations, audiences foraines), dont 2 000 € de "
           "la commune.",
    beneficiaries="Les familles de la commune, en premier lieu les enfants sans acte de naissance, qui ne "
                  "peuvent pas se présenter aux examens.",
    context="Beaucoup d'enfants n'avaient pas d'acte de naissance : les familles des villages éloignés ne "
            "venaient pas jusqu'à la mairie et le délai légal de déclaration était souvent dépassé. Sans "
            "acte, un élève ne peut pas passer le DEF.",
    objectives="Déclarer chaque naissance dans les délais ; régulariser les enfants scolarisés sans acte ; "
               "mieux tenir et protéger les registres.",
    actions="Ouverture de trois centres secondaires dans les villages les plus éloignés. Formation des "
            "agents par le centre principal, avec l'appui du service d'état civil de Montrevel-en-Ouche "
            "pour le classement et l'archivage. Déclaration des naissances à la maternité du CSCOM. "
            "Audiences foraines du tribunal pour délivrer des jugements supplétifs aux élèves sans acte. "
            "Information par les crieurs publics et la radio locale.",
    results="Plus de 85 % des naissances sont déclarées dans les délais, contre environ 50 % en 2018. 640 "
            "jugements supplétifs ont été délivrés à des élèves. Chaque centre range ses registres dans une "
            "armoire fermée.",
    difficulties="Les agents des centres secondaires étaient bénévoles et certains ont abandonné : la "
                 "commune leur verse désormais une indemnité. Les registres officiels ont parfois manqué, "
                 "leur livraison dépendant de l'administration centrale.",
    success_factors="Le lien avec la maternité, où naissent désormais presque tous les enfants ; l'appui du "
                    "tribunal pour les audiences foraines ; la volonté du conseil communal.",
    lessons="L'état civil ne fait pas rêver les financeurs, mais il ouvre l'accès à l'école, à la santé et "
            "au vote. L'échange entre agents des deux communes a été plus utile qu'un financement de plus.",
    recommendations="S'appuyer sur la maternité et l'école pour repérer les enfants non déclarés ; "
                    "indemniser les agents ; garder un stock de registres d'avance.",
    sustainability="La commune paie l'indemnité des agents ; la numérisation des registres est à l'étude "
                   "avec les services de l'État.",
    contacts="Moussa Diarra (mairie de Dialakoro).",
    regard_sud="Ce projet n'a rien de spectaculaire, mais il a changé la vie de centaines d'enfants : un "
               "acte de naissance, c'est le droit de passer son examen. Nous avons apprécié d'échanger "
               "d'égal à égal avec les agents de Montrevel sur un métier commun. Nous attendons maintenant "
               "le regard de nos amis de Montrevel.",
)


# The experience sheets, in loading order. ------------------------------------------------------
# author: e-mail of the first author (their side is the sheet's side); group: a group name;
# voices: (e-mail, fields, summary) edits made afterwards, each "regard" by its own side;
# validated_by: e-mail of a contributor of the other side; status "brouillon" keeps it a draft.

SHEETS = (
    dict(title=T_WELL, author=BERNARD, body=WELL_BODY, fields=WELL_FIELDS,
         themes=["eau-et-assainissement", "genre"], group="Eau et assainissement",
         summary="Fiche rédigée par l'association",
         voices=((AMINATA, {"regard_sud": WELL_REGARD_SUD}, "Ajout du Regard du Sud"),)),
    dict(title=T_CSCOM, author=MOUSSA, body=CSCOM_BODY, fields=CSCOM_FIELDS,
         themes=["sante"], group="Santé", summary="Fiche rédigée par la mairie",
         voices=((BERNARD, {"regard_nord": CSCOM_REGARD_NORD}, "Ajout du Regard du Nord"),)),
    dict(title=T_GIRLS, author=CLAIRE, body=GIRLS_BODY, fields=GIRLS_FIELDS,
         themes=["education", "genre"], group="Éducation",
         summary="Fiche saisie à partir des bilans ; Regard du Nord du comité de jumelage",
         voices=((MOUSSA, {"regard_sud": GIRLS_REGARD_SUD}, "Ajout du Regard du Sud"),)),
    dict(title=T_CEREALS, author=BERNARD, body=CEREALS_BODY, fields=CEREALS_FIELDS,
         themes=["agriculture-et-alimentation", "gouvernance-locale"],
         summary="Fiche rédigée avec les ressortissants du village"),
    dict(title=T_VEGETABLES, author=AMINATA, body=VEGETABLES_BODY, fields=VEGETABLES_FIELDS,
         themes=["agriculture-et-alimentation", "developpement-economique", "genre"],
         summary="Fiche rédigée par la coopérative",
         voices=((BERNARD, {"regard_nord": VEGETABLES_REGARD_NORD}, "Ajout du Regard du Nord"),),
         validated_by=BERNARD),
    dict(title=T_SOLAR, author=CLAIRE, body=SOLAR_BODY, fields=SOLAR_FIELDS,
         themes=["energie", "sante"], group="Santé",
         summary="Fiche saisie à partir du bilan d'Énergies solidaires du Morvan",
         voices=((AMINATA, {"regard_sud": SOLAR_REGARD_SUD}, "Regard du Sud transmis par Kènèya Ton"),)),
    dict(title=T_ZAI, author=AMINATA, body=ZAI_BODY, fields=ZAI_FIELDS,
         themes=["environnement", "agriculture-et-alimentation"],
         summary="Fiche rédigée après la visite d'échange"),
    dict(title=T_TRAINING, author=BERNARD, body=TRAINING_BODY, fields=TRAINING_FIELDS,
         themes=["formation", "jeunesse", "energie"],
         summary="Fiche rédigée pour Énergies solidaires du Morvan"),
    dict(title=T_CANTEENS, author=MOUSSA, body=CANTEENS_BODY, fields=CANTEENS_FIELDS,
         themes=["education", "agriculture-et-alimentation"], group="Éducation", visibility="groupe",
         summary="Fiche réservée au groupe Éducation"),
    dict(title=T_ECSI_COLLEGE, author=CLAIRE, body=ECSI_COLLEGE_BODY, fields=ECSI_COLLEGE_FIELDS,
         themes=["ecsi", "education", "jeunesse"], group="Éducation",
         summary="Fiche saisie avec l'équipe du collège",
         voices=((MOUSSA, {"regard_sud": ECSI_COLLEGE_REGARD_SUD}, "Ajout du Regard du Sud"),)),
    dict(title=T_TALES, author=BERNARD, body=TALES_BODY, fields=TALES_FIELDS,
         themes=["culture", "ecsi"], status="brouillon", summary="Premier jet, à compléter après le bilan"),
    dict(title=T_CIVIL, author=MOUSSA, body=CIVIL_BODY, fields=CIVIL_FIELDS,
         themes=["gouvernance-locale", "formation"], summary="Fiche rédigée par la mairie"),
)

# The agenda: dates are days from the moment the demo is loaded, so that it always shows a past
# steering committee with its decisions, and a training and the annual meeting to come.
T_COMMITTEE = "Comité de pilotage de l'automne"
T_PUMP_TRAINING = "Formation : entretenir une pompe manuelle"
T_ANNUAL = "Rencontre annuelle du réseau"

EVENTS = (
    dict(title=T_COMMITTEE, author=CLAIRE, days=-20, start="18:00", end="20:00", zone="Europe/Paris",
         kind="comite", place="Dijon, maison des associations", online_url="https://visio.passerelle.example/comite",
         visibility="membres", body=f"""\
Réunion du [[{T_STEERING}]], en salle à Dijon et en visioconférence pour les partenaires du Mali.

## Ordre du jour

1. Bilan des fiches d'expérience écrites depuis la rencontre annuelle ;
2. Préparation de la prochaine [[{T_ANNUAL}]] ;
3. Appels à projets de l'année : qui répond à quoi, et avec qui.
"""),
    dict(title=T_PUMP_TRAINING, author=AMINATA, days=12, start="09:00", end="16:00", zone="Africa/Bamako",
         kind="formation", place="Ségou", visibility="membres", body=f"""\
Journée de formation pour les comités de gestion des points d'eau, animée par un artisan \
réparateur. Voir [[{T_PARTS}]].

Apporter : la fiche d'entretien de votre pompe, la liste des pannes de l'année.
"""),
    dict(title=T_ANNUAL, author=CLAIRE, days=75, start="09:30", end="17:30", zone="Europe/Paris",
         kind="rencontre", place="Dijon", online_url="https://visio.passerelle.example/rencontre",
         visibility="public", body="""\
La rencontre annuelle réunit les membres du Nord et du Sud : bilan de l'année, ateliers par \
groupe thématique, choix des priorités. Les partenaires maliens y participent en visioconférence \
depuis Ségou et Bamako ; les horaires sont indiqués dans les deux pays.
"""),
)

COMMITTEE_MINUTES = """\
Compte rendu du comité de pilotage de l'automne.

## Présents

Claire Morand, Bernard Lachaux (Nord) ; Aminata Coulibaly et Moussa Diarra (Sud, en visioconférence).

## Points abordés

- Les fiches du groupe Eau et assainissement attendent encore le regard du Sud : Aminata propose \
de les relire avec les comités de gestion.
- La rencontre annuelle se tiendra à Dijon ; une salle est réservée à Ségou pour la suivre ensemble.
- Appel de l'agence de l'eau : Solidarité Auxois-Sahel et l'association de Ségou y répondront \
ensemble plutôt que séparément.
"""

# (text, owner's e-mail or None, days from the meeting to the due date, status)
COMMITTEE_DECISIONS = (
    ("Réserver la salle de Ségou pour suivre la rencontre annuelle", MOUSSA, 10, "fait"),
    ("Relire les fiches du groupe Eau avec les comités de gestion", AMINATA, 15, "en_cours"),
    ("Envoyer à tous le programme de la rencontre annuelle", CLAIRE, 60, "a_faire"),
    ("Préparer la réponse commune à l'appel de l'agence de l'eau", BERNARD, 25, "a_faire"),
)

CALLS = (
    dict(title="Appel « 1 % eau » : accès à l'eau potable en milieu rural", author=BERNARD,
         themes=["eau-et-assainissement"],
         fields=dict(funder="Agence de l'eau", link="https://financeurs.example/agence-eau/1-pour-cent",
                     opens_on=-30, closes_on=25, amount_min=10000, amount_max=80000, currency="EUR",
                     eligibility=["nord", "conjoint"], regions=["Ségou", "Kayes"]),
         body="""\
L'agence finance les projets d'eau potable et d'assainissement portés par des collectivités et \
associations du bassin avec leurs partenaires. Le dossier décrit la gestion du service après les \
travaux (comité de gestion, tarif de l'eau, entretien).
"""),
    dict(title="Fonds régional de coopération décentralisée", author=CLAIRE,
         themes=["gouvernance-locale", "jeunesse"],
         fields=dict(funder="Conseil régional", opens_on=-10, closes_on=50, amount_max=30000, currency="EUR",
                     eligibility=["conjoint"]),
         body="""\
Pour les projets menés ensemble par une collectivité ou une association de la région et un \
partenaire malien : gouvernance locale, jeunesse, formation. Le partenaire du Sud cosigne le dossier.
"""),
    dict(title="Initiatives communautaires de santé", author=AMINATA, themes=["sante"],
         fields=dict(funder="Fondation pour la santé au Sahel", closes_on=12, amount_min=2000000,
                     amount_max=15000000, currency="XOF", eligibility=["sud"], regions=["Ségou", "Mopti"]),
         body="""\
Petites subventions pour les associations de santé communautaire maliennes : équipement des \
CSCOM, formation des relais, mutuelles de santé.
"""),
)

# News from the field: (sheet, author, kind, commune, text, with a photo), oldest first.
FIELD_NEWS = (
    (T_WELL, AMINATA, "avancement", "Fanébougou",
     "Le comité de gestion a ouvert un carnet de caisse : **12 500 FCFA** collectés ce mois-ci pour l'entretien.",
     False),
    (T_WELL, MOUSSA, "difficulte", None,
     "La pompe a cédé pendant deux jours (joint usé). L'artisan de Ségou l'a réparée ; il faut un joint de rechange.",
     True),
    (T_WELL, AMINATA, "reussite", "Fanébougou",
     "Les femmes du comité ont présenté leurs comptes à l'assemblée du village : tout le monde a compris le tarif.",
     False),
    (T_CEREALS, MOUSSA, "besoin", None,
     "Avant la soudure, le magasin est plein aux deux tiers. Nous cherchons des sacs neufs pour le mil.", False),
)
