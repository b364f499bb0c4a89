"""Demo content: a small, fictional network of actors in Burgundy (Nord) and Mali (Sud).

`load_demo()` goes through the services only, like any other client, so the demo also
exercises the rules (side of the "regards", group-reserved pages, revisions by both sides).
It is idempotent: when the demo coordinator account exists, it does nothing.
All people, organisations and villages are fictional.
"""
from __future__ import annotations

from .auth import services as accounts
from .directory import services as directory
from .groups import services as groups
from .markup import slugify
from .pages import services as pages
from .pages.services import PageExists

DEMO_PASSWORD = "passerelle-demo"
COORDINATOR_EMAIL = "coordination@passerelle.example"

# Fictional organisations, both sides (name, side, kind, town, region, description).
DEMO_ORGANISATIONS = (
    dict(name="Comité de jumelage de Montrevel-en-Ouche", side="nord", kind="comité de jumelage",
         town="Montrevel-en-Ouche", region="Côte-d'Or",
         description="Comité de jumelage et de coopération avec la commune de Dialakoro (région de "
                     "Koulikoro) depuis 1998 : santé, éducation et échanges entre écoles."),
    dict(name="Solidarité Auxois-Sahel", side="nord", kind="association",
         town="Semur-en-Auxois", region="Côte-d'Or",
         description="Association de bénévoles qui accompagne des projets d'accès à l'eau potable et "
                     "d'équipement sanitaire dans les régions de Ségou et de Koulikoro."),
    dict(name="Collège du Val d'Ouche", side="nord", kind="école",
         town="Montrevel-en-Ouche", region="Côte-d'Or",
         description="Collège public engagé dans l'éducation à la citoyenneté et à la solidarité "
                     "internationale : correspondance entre classes avec les écoles de Dialakoro."),
    dict(name="Coopérative des femmes maraîchères Benkadi", side="sud", kind="coopérative",
         town="Fanébougou", region="Ségou",
         description="Coopérative de 45 femmes qui cultivent un jardin maraîcher collectif et vendent "
                     "leurs légumes sur les marchés de Ségou."),
    dict(name="Conseil communal de Dialakoro", side="sud", kind="collectivité",
         town="Dialakoro", region="Koulikoro",
         description="Commune rurale du cercle de Koulikoro, partenaire de coopération décentralisée de "
                     "Montrevel-en-Ouche. Maître d'ouvrage des projets de santé et d'éducation."),
    dict(name="ONG Jigiya Développement", side="sud", kind="ONG",
         town="Ségou", region="Ségou",
         description="ONG malienne d'appui au développement local (eau, hygiène, scolarisation, droits "
                     "des femmes), présente dans les régions de Ségou et de Koulikoro."),
)

# Demo accounts (all with DEMO_PASSWORD); `organisation` is a name from DEMO_ORGANISATIONS.
DEMO_ACCOUNTS = (
    dict(email=COORDINATOR_EMAIL, name="Claire Morand", side="nord", role="coordinateur",
         organisation=None),
    dict(email="bernard.lachaux@passerelle.example", name="Bernard Lachaux", side="nord",
         role="contributeur", organisation="Solidarité Auxois-Sahel"),
    dict(email="aminata.coulibaly@passerelle.example", name="Aminata Coulibaly", side="sud",
         role="contributeur", organisation="Coopérative des femmes maraîchères Benkadi"),
    dict(email="moussa.diarra@passerelle.example", name="Moussa Diarra", side="sud",
         role="contributeur", organisation="Conseil communal de Dialakoro"),
    dict(email="helene.vautrin@passerelle.example", name="Hélène Vautrin", side="nord",
         role="lecteur", organisation="Collège du Val d'Ouche"),
)

# Thematic groups: name, description, then (email, animator) pairs.
DEMO_GROUPS = (
    dict(name="Eau et assainissement",
         description="Accès à l'eau potable, hygiène et assainissement : forages, puits, latrines, "
                     "gestion et entretien des points d'eau.",
         members=(("bernard.lachaux@passerelle.example", True),
                  ("aminata.coulibaly@passerelle.example", True),
                  ("moussa.diarra@passerelle.example", False))),
    dict(name="Santé",
         description="Appui aux centres de santé communautaires, santé maternelle et infantile, "
                     "prévention et mutuelles de santé.",
         members=(("bernard.lachaux@passerelle.example", True),
                  ("moussa.diarra@passerelle.example", True),
                  ("aminata.coulibaly@passerelle.example", False),
                  (COORDINATOR_EMAIL, False))),
    dict(name="Éducation",
         description="Scolarisation, en particulier des filles, soutien aux écoles, formation des "
                     "enseignants et correspondances scolaires entre la Bourgogne et le Mali.",
         members=((COORDINATOR_EMAIL, True),
                  ("moussa.diarra@passerelle.example", True),
                  ("helene.vautrin@passerelle.example", False),
                  ("aminata.coulibaly@passerelle.example", False))),
)

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


# Loading ---------------------------------------------------------------------

def _organisation(spec: dict):
    existing = directory.find_organisation(slugify(spec["name"]))
    return existing or directory.create_organisation(by=None, **spec)


def _user(spec: dict, organisations: dict):
    existing = accounts.get_user_by_email(spec["email"])
    if existing is not None:
        return existing
    return accounts.create_user(email=spec["email"], name=spec["name"], side=spec["side"],
                                role=spec["role"], organisation=organisations.get(spec["organisation"]),
                                password=DEMO_PASSWORD)


def _group(spec: dict, users: dict):
    group = groups.find_group(slugify(spec["name"])) or groups.create_group(
        name=spec["name"], description=spec["description"], by=None)
    for email, animator in spec["members"]:
        groups.add_member(group, users[email], animator=animator, by=None)
    return group


def _page(author, title: str, body: str, **options):
    """Create a page; (page, True), or (existing page, False) if one with this title exists."""
    try:
        return pages.create_page(author=author, title=title, body=body, **options), True
    except PageExists as exists:
        return exists.page, False


def _edit(page, author, *, body: str | None = None, fields: dict | None = None, summary: str):
    current = page.current
    pages.update_page(page, author=author, base_revision=current.number, title=current.title,
                      body=current.body if body is None else body,
                      fields=None if fields is None else {**(current.fields or {}), **fields},
                      summary=summary)


def load_demo() -> bool:
    """Load the demo network; False (and nothing done) if the demo coordinator already exists."""
    if accounts.get_user_by_email(COORDINATOR_EMAIL) is not None:
        return False

    organisations = {spec["name"]: _organisation(spec) for spec in DEMO_ORGANISATIONS}
    users = {spec["email"]: _user(spec, organisations) for spec in DEMO_ACCOUNTS}
    group = {spec["name"]: _group(spec, users) for spec in DEMO_GROUPS}

    claire = users[COORDINATOR_EMAIL]
    bernard = users["bernard.lachaux@passerelle.example"]
    aminata = users["aminata.coulibaly@passerelle.example"]
    moussa = users["moussa.diarra@passerelle.example"]

    # Public pages (only a coordinator may publish).
    _page(claire, T_HOME, HOME, visibility="public", summary="Page d'accueil")
    _page(claire, T_MEETING, MEETING, visibility="public",
          summary="Récit de la rencontre du 14 février 2015")

    # Members' pages; the steering committee page is completed by a partner from the Sud.
    steering, created = _page(claire, T_STEERING, STEERING_V1, visibility="membres",
                              summary="Création de la page du comité")
    if created:
        _edit(steering, moussa, body=STEERING_V2, summary="Place des partenaires maliens dans le comité")
    _page(claire, T_GUIDE, GUIDE, visibility="membres", summary="Première version du guide")

    # A practical page written in turn by the Nord, the Sud, then the Nord again.
    parts, created = _page(bernard, T_PARTS, PARTS_V1, visibility="membres",
                           themes=["eau-et-assainissement"], summary="Premiers conseils d'entretien")
    if created:
        _edit(parts, aminata, body=PARTS_V2, summary="Où trouver les pièces à Ségou et à Bamako")
        _edit(parts, bernard, body=PARTS_V3, summary="Ajout de la caisse d'entretien")

    # Group pages, reserved to each group, written by one of its animators.
    _page(bernard, T_WATER_GROUP, WATER_GROUP, kind="groupe", visibility="groupe",
          group=group["Eau et assainissement"], themes=["eau-et-assainissement"],
          summary="Présentation du groupe")
    _page(moussa, T_HEALTH_GROUP, HEALTH_GROUP, kind="groupe", visibility="groupe",
          group=group["Santé"], themes=["sante"], summary="Présentation du groupe")
    _page(claire, T_EDUCATION_GROUP, EDUCATION_GROUP, kind="groupe", visibility="groupe",
          group=group["Éducation"], themes=["education"], summary="Présentation du groupe")

    # Experience sheets: each "regard" is written by someone of its own side.
    well, created = _page(bernard, T_WELL, WELL_BODY, kind="fiche", visibility="membres",
                          themes=["eau-et-assainissement", "genre"], fields=WELL_FIELDS,
                          summary="Fiche rédigée par l'association")
    if created:
        _edit(well, aminata, fields={"regard_sud": WELL_REGARD_SUD}, summary="Ajout du Regard du Sud")

    cscom, created = _page(moussa, T_CSCOM, CSCOM_BODY, kind="fiche", visibility="membres",
                           themes=["sante"], fields=CSCOM_FIELDS, summary="Fiche rédigée par la mairie")
    if created:
        _edit(cscom, bernard, fields={"regard_nord": CSCOM_REGARD_NORD}, summary="Ajout du Regard du Nord")

    girls, created = _page(claire, T_GIRLS, GIRLS_BODY, kind="fiche", visibility="membres",
                           themes=["education", "genre"], fields=GIRLS_FIELDS,
                           summary="Fiche saisie à partir des bilans ; Regard du Nord du comité de jumelage")
    if created:
        _edit(girls, moussa, fields={"regard_sud": GIRLS_REGARD_SUD}, summary="Ajout du Regard du Sud")
    return True
