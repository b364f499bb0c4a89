"""Realistic French content for bench/search.py: experience sheets and wiki pages of a
network of French associations and their Malian partners, and the queries members type.

Everything is generated from the vocabulary lists below with one `random.Random`, so a seed
always gives the same corpus and the same queries. Names of people, villages and
organisations are fictional (villages are built from common syllables)."""
from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass, field
from wiki.policy import SYSTEM

# Places -------------------------------------------------------------------------

MALI_REGIONS = {  # same data as wiki/data/mali_regions.json (2016 organisation)
    "Kayes": ["Bafoulabé", "Diéma", "Kayes", "Kéniéba", "Kita", "Nioro du Sahel", "Yélimané"],
    "Koulikoro": ["Banamba", "Dioïla", "Kangaba", "Kati", "Kolokani", "Koulikoro", "Nara"],
    "Sikasso": ["Bougouni", "Kadiolo", "Kolondiéba", "Koutiala", "Sikasso", "Yanfolila", "Yorosso"],
    "Ségou": ["Barouéli", "Bla", "Macina", "Niono", "San", "Ségou", "Tominian"],
    "Mopti": ["Bandiagara", "Bankass", "Djenné", "Douentza", "Koro", "Mopti", "Ténenkou", "Youwarou"],
    "Tombouctou": ["Diré", "Goundam", "Gourma-Rharous", "Niafunké", "Tombouctou"],
    "Gao": ["Ansongo", "Bourem", "Gao"],
    "Kidal": ["Abeïbara", "Kidal", "Tessalit", "Tin-Essako"],
    "Taoudénit": ["Achouratt", "Al-Ourche", "Araouane", "Boujbeha", "Foum-Alba", "Taoudénit"],
    "Ménaka": ["Andéramboukane", "Inékar", "Ménaka", "Tidermène"],
    "District de Bamako": ["Commune I", "Commune II", "Commune III", "Commune IV", "Commune V", "Commune VI"],
}
# Where the network's projects actually are: mostly the south and the centre.
REGION_WEIGHTS = {"Kayes": 16, "Koulikoro": 16, "Sikasso": 15, "Ségou": 17, "Mopti": 12, "Tombouctou": 6,
                  "Gao": 4, "Kidal": 1, "Taoudénit": 1, "Ménaka": 1, "District de Bamako": 11}

SYLLABLES_START = ["Fané", "Dia", "Kono", "Sana", "Niam", "Tin", "Kéni", "Bana", "Sira", "Tiéma", "Dou",
                   "Sama", "Kala", "Fara", "Mori", "Niè", "Siby", "Kolo", "Diou", "Sébé", "Ouéla", "Zan",
                   "Madi", "Soro", "Kassa", "Bamba", "Falé", "Nossom", "Tama", "Diré", "Kiban", "Ndia",
                   "Souba", "Wolo", "Konna", "Sinzé", "Dandé", "Torou", "Bara", "Mourdia"]
SYLLABLES_END = ["bougou", "koro", "dougou", "kaye", "ba", "na", "sso", "ni", "la", "koura", "bala", "ré",
                 "déni", "fara", "kan", "mbo"]

FRENCH_TOWNS = ["Dijon", "Beaune", "Semur-en-Auxois", "Montbard", "Auxerre", "Sens", "Chalon-sur-Saône",
                "Mâcon", "Nevers", "Autun", "Le Creusot", "Tournus", "Avallon", "Chenôve", "Is-sur-Tille",
                "Nuits-Saint-Georges", "Quetigny", "Talant", "Longvic", "Cluny", "Digoin", "Paray-le-Monial",
                "Joigny", "Tonnerre", "Clamecy", "Decize", "Saulieu", "Châtillon-sur-Seine", "Besançon",
                "Montreuil", "Angers", "Rennes", "Lyon", "Villeurbanne", "Grenoble", "Chaumont"]

BAMBARA_WORDS = ["Benkadi", "Jigiya", "Yeredon", "Sababu", "Hakili", "Donko", "Nyèta", "Kènèya", "Jèkafo",
                 "Badenya", "Sinsin", "Yiriwa", "Baara", "Kafo", "Musow", "Jama", "Sigida", "Nafa", "Tonus",
                 "Danaya", "Hèrè", "Jèmu", "Siniyesigi", "Kalanso", "Dambe"]

FIRST_NORD = ["Bernard", "Claire", "Hélène", "Jean-Pierre", "Martine", "François", "Isabelle", "Michel",
              "Sylvie", "Philippe", "Anne", "Luc", "Catherine", "Gérard", "Monique", "Thomas", "Camille",
              "Julien", "Élodie", "Nathalie", "Agnès", "Dominique", "Yves", "Brigitte"]
LAST_NORD = ["Lachaux", "Martin", "Bernard", "Petit", "Durand", "Moreau", "Girard", "Fournier", "Roux",
             "Garnier", "Chevalier", "Perrin", "Rousseau", "Blanc", "Guérin", "Muller", "Henry", "Faure",
             "Mercier", "Lambert", "Vautrin", "Bonnot", "Jacquot", "Charlot"]
FIRST_SUD = ["Aminata", "Moussa", "Fatoumata", "Mamadou", "Oumar", "Awa", "Bakary", "Kadiatou", "Seydou",
             "Mariam", "Boubacar", "Hawa", "Ibrahim", "Salimata", "Adama", "Assétou", "Sékou", "Djénéba",
             "Modibo", "Rokia", "Souleymane", "Oumou", "Drissa", "Nana"]
LAST_SUD = ["Coulibaly", "Diarra", "Traoré", "Keïta", "Koné", "Sangaré", "Diallo", "Sidibé", "Touré",
            "Maïga", "Cissé", "Dembélé", "Doumbia", "Konaté", "Samaké", "Sissoko", "Kanté", "Camara",
            "Diakité", "Bagayoko", "Togola", "Guindo", "Tangara", "Dicko"]

FUNDERS = ["Agence de l'eau Seine-Normandie", "Agence de l'eau Rhône-Méditerranée-Corse",
           "Conseil régional de Bourgogne-Franche-Comté", "Conseil départemental de la Côte-d'Or",
           "Conseil départemental de Saône-et-Loire", "Agence française de développement (AFD)",
           "ministère de l'Europe et des Affaires étrangères", "Fondation de France", "Fondation Raja",
           "cotisations des adhérents", "dons des particuliers", "apport du village en travail et en argent",
           "Union européenne", "ANCT (Agence nationale d'investissement des collectivités territoriales)",
           "Rotary club", "Lions club", "kermesse de l'école", "vente d'artisanat au marché de Noël"]

MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre"]


_ELIDE = re.compile(r"\bde ([AEIOUÉ])")


def fold(text: str) -> str:
    """Lower case without accents (what people type on a phone)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


# Theme families: what a project is about, in the words sheets use ------------------

@dataclass
class Family:
    key: str
    themes: list[str]  # first is the main theme; the others are added sometimes
    group: str | None  # the thematic group its restricted pages belong to
    titles: list[str]
    objects: list[str]  # what the project built or did (after a verb)
    problems: list[str]  # the situation before (context)
    results: list[str]
    words: list[str]  # what members type when they look for it
    france: bool = False  # often happens in France (ECSI)


FAMILIES = [
    Family("eau", ["eau-et-assainissement", "sante", "genre", "gouvernance-locale"], "eau",
           ["Forage et pompe manuelle à {village}", "Adduction d'eau potable à {commune}",
            "Latrines scolaires à {village}", "Réhabilitation des puits de {commune}",
            "Pompe solaire et château d'eau de {village}", "Comité de gestion de l'eau de {commune}",
            "Bornes-fontaines du quartier de {village}", "Assainissement et lavage des mains à {commune}"],
           ["un forage de {n_m} mètres équipé d'une pompe à motricité humaine", "deux puits à grand diamètre",
            "un réseau d'adduction d'eau potable", "une pompe solaire et un château d'eau de {n_m3} m³",
            "{n_small} bornes-fontaines", "des latrines familiales à fosse ventilée",
            "des latrines scolaires séparées pour les filles et les garçons",
            "des dispositifs de lavage des mains à l'école", "un comité de gestion du point d'eau",
            "un stock de pièces détachées pour les pompes", "la formation d'un artisan réparateur"],
           ["les puits traditionnels étaient à sec de mars à juin",
            "les femmes et les filles faisaient jusqu'à {n_km} kilomètres pour trouver de l'eau",
            "les diarrhées étaient fréquentes chez les enfants de moins de cinq ans",
            "l'ancienne pompe était en panne depuis {n_small} ans faute de pièces",
            "l'école n'avait ni eau ni latrines"],
           ["{n_people} habitants ont désormais accès à l'eau potable toute l'année",
            "la corvée d'eau est passée de trois heures à moins d'une heure par jour",
            "les cas de diarrhée signalés au CSCOM ont diminué de {pct} %",
            "la caisse d'entretien compte {n_cfa} francs CFA de réserve",
            "les filles restent plus souvent à l'école depuis que l'école a des latrines"],
           ["forage", "puits", "pompe", "eau potable", "latrines", "château d'eau", "adduction", "assainissement",
            "pompe manuelle", "pièces détachées", "bornes-fontaines", "hygiène", "artisan réparateur", "AEP"]),
    Family("sante", ["sante", "genre", "eau-et-assainissement"], "sante",
           ["Équipement de la maternité de {commune}", "Appui au CSCOM de {commune}",
            "Santé maternelle et infantile à {village}", "Moustiquaires imprégnées à {commune}",
            "Évacuations sanitaires dans le cercle de {cercle}", "Dépôt de médicaments essentiels de {commune}",
            "Formation des matrones de {commune}", "Vaccination des enfants à {village}"],
           ["la maternité du CSCOM de {commune}", "un dépôt de médicaments essentiels",
            "la formation de {n_small} matrones et d'une sage-femme", "une ambulance rurale",
            "des consultations prénatales foraines", "une campagne de vaccination des enfants",
            "la distribution de moustiquaires imprégnées contre le paludisme",
            "un centre de santé communautaire (CSCOM)", "l'équipement du laboratoire du centre de santé",
            "un système de mutuelle de santé", "la prise en charge de la malnutrition"],
           ["les femmes accouchaient à domicile, sans aide qualifiée",
            "le CSCOM le plus proche était à {n_km} kilomètres",
            "le paludisme était la première cause de consultation",
            "la maternité n'avait ni électricité ni eau courante",
            "les évacuations vers le centre de santé de référence de {cercle} prenaient une journée"],
           ["le nombre d'accouchements assistés est passé de {n_small}0 à {n_people} par an",
            "{pct} % des femmes enceintes font au moins trois consultations prénatales",
            "la couverture vaccinale des enfants dépasse {pct} %",
            "l'ASACO tient une comptabilité claire présentée chaque année",
            "aucun décès maternel n'a été enregistré en {year_end}"],
           ["maternité", "CSCOM", "santé", "centre de santé communautaire", "matrones", "sage-femme", "paludisme",
            "moustiquaires", "vaccination", "ambulance", "ASACO", "médicaments", "accouchements", "malnutrition",
            "mutuelle de santé"]),
    Family("education", ["education", "genre", "jeunesse"], "education",
           ["Cantine scolaire de l'école de {village}", "Scolarisation des filles à {commune}",
            "Construction de salles de classe à {village}", "Bibliothèque du collège de {commune}",
            "Alphabétisation des femmes de {village}", "Kits scolaires pour l'école de {commune}",
            "Formation des enseignants du cercle de {cercle}", "Correspondance scolaire {town_fr} – {commune}"],
           ["la construction de trois salles de classe", "une cantine scolaire", "des kits scolaires",
            "des bourses pour la scolarisation des filles", "une bibliothèque scolaire de {n_people} livres",
            "l'alphabétisation des adultes en bambara", "la formation des enseignants contractuels",
            "un centre d'éducation pour le développement", "des tables-bancs fabriqués par les menuisiers du village",
            "une correspondance scolaire avec une école de {town_fr}"],
           ["les élèves étaient {n_small}0 par classe sous des abris en paille",
            "beaucoup de filles quittaient l'école avant le certificat",
            "les enfants venaient à l'école le ventre vide et repartaient à midi",
            "l'école n'avait aucun livre en dehors de ceux des maîtres"],
           ["le taux de réussite au DEF est passé de {pct} % à {pct2} %",
            "{n_people} élèves mangent à la cantine chaque midi",
            "les filles représentent désormais {pct} % des élèves du second cycle",
            "la bibliothèque prête des livres aux familles pendant les vacances"],
           ["école", "cantine", "cantine scolaire", "salles de classe", "scolarisation", "filles", "bibliothèque",
            "alphabétisation", "enseignants", "kits scolaires", "collège", "élèves", "correspondance scolaire"]),
    Family("agriculture", ["agriculture-et-alimentation", "environnement", "genre", "developpement-economique"],
           "agriculture",
           ["Maraîchage des femmes de {village}", "Banque de céréales de {commune}",
            "Coopérative de transformation du karité à {commune}", "Zaï et cordons pierreux à {village}",
            "Périmètre irrigué de {commune}", "Moulin à céréales du groupement {bambara} de {village}",
            "Semences améliorées pour les producteurs de {cercle}", "Embouche ovine à {village}"],
           ["un périmètre maraîcher de {n_ha} hectares clôturé", "une banque de céréales",
            "la coopérative des femmes maraîchères", "des semences améliorées de mil et de sorgho",
            "le compostage et la fumure organique", "des cordons pierreux et le zaï",
            "un moulin à céréales", "l'embouche ovine", "une unité de transformation du karité",
            "un magasin de stockage", "la formation des producteurs aux techniques agroécologiques"],
           ["la période de soudure durait de juin à septembre",
            "les sols s'appauvrissaient et les rendements de mil baissaient",
            "les femmes n'avaient pas accès à la terre pour cultiver",
            "les commerçants achetaient les récoltes à bas prix juste après la moisson"],
           ["la coopérative vend ses légumes au marché de {cercle}",
            "les rendements de mil ont augmenté de {pct} % sur les parcelles aménagées",
            "la banque de céréales a vendu {n_small} tonnes pendant la soudure",
            "{n_small}0 femmes tirent un revenu régulier du maraîchage"],
           ["maraîchage", "coopérative", "banque de céréales", "karité", "zaï", "semences", "compost", "moulin",
            "agroécologie", "périmètre irrigué", "soudure", "mil", "légumes", "femmes maraîchères"]),
    Family("economie", ["developpement-economique", "genre", "formation"], None,
           ["Microcrédit pour les femmes de {commune}", "Caisse villageoise d'épargne à {village}",
            "Activités génératrices de revenus à {commune}", "Atelier de couture de {village}",
            "Boutique coopérative de {commune}", "Appui aux artisans de {cercle}"],
           ["un fonds de microcrédit", "des activités génératrices de revenus (AGR)",
            "une caisse d'épargne et de crédit", "la formation en gestion simplifiée",
            "une boutique coopérative", "un atelier de couture", "un fonds de roulement de {n_cfa} francs CFA"],
           ["les femmes n'avaient pas accès au crédit des banques",
            "les jeunes partaient en exode vers Bamako ou l'étranger",
            "les groupements manquaient de fonds de roulement"],
           ["le taux de remboursement des prêts atteint {pct} %",
            "{n_people} femmes ont bénéficié d'un prêt de {n_cfa} francs CFA",
            "la caisse est gérée par un comité élu de {n_small} membres"],
           ["microcrédit", "crédit", "épargne", "AGR", "activités génératrices de revenus", "couture",
            "fonds de roulement", "remboursement", "artisans", "boutique"]),
    Family("energie", ["energie", "sante", "education", "environnement"], None,
           ["Électricité solaire au CSCOM de {commune}", "Plateforme multifonctionnelle de {village}",
            "Foyers améliorés à {commune}", "Lampadaires solaires à {village}",
            "Formation de jeunes installateurs solaires à {cercle}", "Électrification de l'école de {village}"],
           ["l'énergie solaire", "des kits solaires pour le CSCOM", "des panneaux photovoltaïques sur l'école",
            "une plateforme multifonctionnelle", "des foyers améliorés", "des lampadaires solaires",
            "un réfrigérateur solaire pour les vaccins", "la formation de jeunes installateurs solaires"],
           ["la maternité fonctionnait la nuit à la lampe torche",
            "les vaccins ne pouvaient pas être conservés sur place",
            "le bois de chauffe devenait rare autour du village"],
           ["la maternité est éclairée toute la nuit", "{n_small} jeunes installateurs ont trouvé du travail",
            "la consommation de bois a baissé de {pct} % chez les familles équipées"],
           ["énergie solaire", "solaire", "panneaux solaires", "photovoltaïque", "plateforme multifonctionnelle",
            "foyers améliorés", "électricité", "lampadaires", "installateurs"]),
    Family("environnement", ["environnement", "agriculture-et-alimentation", "jeunesse"], None,
           ["Reboisement autour de {village}", "Pépinière villageoise de {commune}",
            "Gestion des déchets à {commune}", "Lutte contre l'érosion à {village}"],
           ["le reboisement de {n_ha} hectares", "une pépinière villageoise", "la gestion des déchets ménagers",
            "la lutte contre l'érosion", "une haie vive autour des champs", "la régénération naturelle assistée"],
           ["la brousse reculait chaque année", "les déchets plastiques s'accumulaient autour du marché",
            "les eaux de pluie emportaient la terre des champs"],
           ["{n_people} arbres ont été plantés et {pct} % ont survécu",
            "un service de collecte des déchets passe deux fois par semaine"],
           ["reboisement", "pépinière", "arbres", "déchets", "érosion", "haie vive", "environnement"]),
    Family("ecsi", ["ecsi", "culture", "jeunesse", "education"], "ecsi",
           ["Semaine de la solidarité internationale à {town_fr}", "Exposition photo « {commune} au quotidien »",
            "Jumelage {town_fr} – {commune}", "Chantier de jeunes à {commune}",
            "Festival de contes maliens à {town_fr}", "Accueil d'une délégation de {commune} à {town_fr}"],
           ["une semaine de la solidarité internationale au collège", "une exposition de photographies",
            "une correspondance scolaire", "un chantier de jeunes", "un festival de contes",
            "le jumelage entre {town_fr} et {commune}", "un échange de jeunes", "une soirée débat sur la migration"],
           ["les élèves connaissaient le Mali seulement par les informations",
            "le comité de jumelage vieillissait et peinait à renouveler ses membres"],
           ["{n_people} élèves ont participé aux ateliers", "le comité de jumelage compte {n_small} nouveaux membres",
            "l'exposition a circulé dans {n_small} médiathèques du département"],
           ["jumelage", "comité de jumelage", "ECSI", "solidarité internationale", "exposition", "contes",
            "chantier de jeunes", "échange", "semaine de la solidarité", "collège"], france=True),
    Family("gouvernance", ["gouvernance-locale", "formation"], None,
           ["État civil : déclarer les naissances à {commune}", "Plan de développement de la commune de {commune}",
            "Formation des élus de {cercle}", "Coopération décentralisée {town_fr} – {commune}",
            "Mobilisation des ressources fiscales à {commune}"],
           ["l'état civil", "le plan de développement social, économique et culturel",
            "la formation des élus communaux", "la coopération décentralisée", "le recensement fiscal",
            "un centre secondaire d'état civil", "les registres d'état civil"],
           ["beaucoup d'enfants n'avaient pas d'acte de naissance et ne pouvaient pas passer d'examen",
            "la commune ne percevait qu'une petite part de la taxe de développement"],
           ["{pct} % des naissances sont déclarées dans le mois",
            "les recettes fiscales de la commune ont doublé en {n_small} ans"],
           ["état civil", "naissances", "élus", "commune", "coopération décentralisée", "décentralisation",
            "plan de développement", "fiscalité", "mairie"]),
    Family("formation", ["formation", "jeunesse", "developpement-economique"], None,
           ["Centre de formation professionnelle de {commune}", "Apprentissage des jeunes à {cercle}",
            "Formation des artisans réparateurs de {cercle}"],
           ["un centre de formation professionnelle", "l'apprentissage en atelier", "la formation des formateurs",
            "des modules de mécanique, de soudure et de couture"],
           ["les jeunes sortis de l'école n'avaient pas de métier"],
           ["{n_people} jeunes ont été formés et {pct} % travaillent un an après"],
           ["formation professionnelle", "apprentissage", "jeunes", "métier", "atelier", "soudure", "mécanique"]),
]
FAMILY_WEIGHTS = [22, 18, 16, 14, 7, 7, 4, 6, 4, 2]
GROUPS = {  # key → group name; the bench member belongs to "eau" and "sante"
    "eau": "Eau et assainissement", "sante": "Santé", "education": "Éducation",
    "agriculture": "Agriculture et alimentation", "ecsi": "ECSI et jumelages",
}

SUBJECTS_NORD = ["{org_nord}", "Le comité de jumelage de {town_fr}", "Notre association",
                 "Les bénévoles de {org_nord}", "La mairie de {town_fr}"]
SUBJECTS_SUD = ["La mairie de {commune}", "Le conseil communal de {commune}",
                "Le comité de gestion", "Les femmes du groupement {bambara}", "Les habitants de {village}", "{org_sud}",
                "Le chef de village de {village}", "Nos partenaires de {cercle}", "Le maire de {commune}",
                "L'équipe du CSCOM", "L'association des parents d'élèves"]
VERBS = [("a mis en place", "ont mis en place"), ("a financé", "ont financé"), ("a organisé", "ont organisé"),
         ("a construit", "ont construit"), ("a réhabilité", "ont réhabilité"), ("a accompagné", "ont accompagné"),
         ("a suivi", "ont suivi"), ("a pris en charge", "ont pris en charge"), ("gère désormais", "gèrent désormais"),
         ("entretient", "entretiennent"), ("a lancé", "ont lancé"), ("a étendu", "ont étendu"),
         ("a préparé avec le village", "ont préparé avec le village"), ("a évalué", "ont évalué")]
COMPLEMENTS = ["avec l'appui de {org_sud}", "en {year}", "pendant la saison sèche", "pendant l'hivernage",
               "grâce à une subvention du conseil régional", "avec une cotisation de {n_cfa} francs CFA par famille",
               "après plusieurs réunions villageoises", "sur un budget de {n_eur} euros",
               "avec le soutien de l'Agence de l'eau", "malgré l'insécurité dans la zone",
               "en lien avec les services techniques du cercle de {cercle}", "au bénéfice de {n_people} personnes",
               "en {month} {year}", "avec une entreprise de {cercle}", "sans attendre la fin du financement",
               "avec les élèves du collège de {town_fr}", "à la demande du conseil de village"]
DIFFICULTIES = [
    "Les pièces détachées ne se trouvaient qu'à Bamako et une réparation a pris {n_small} semaines.",
    "L'insécurité a empêché les missions sur place à partir de {year} ; le suivi s'est fait par téléphone.",
    "Le comité de gestion a eu du mal à collecter les cotisations pendant la soudure.",
    "Les délais de transfert d'argent ont retardé les travaux de plusieurs mois.",
    "La crise de 2012 a interrompu le projet pendant un an.",
    "Le prix du ciment a augmenté de {pct} % entre le devis et les travaux.",
    "Certaines familles n'ont pas payé leur part, ce qui a créé des tensions au village.",
    "Le changement de maire après les élections a ralenti les décisions.",
    "La pandémie de covid-19 a suspendu les échanges et les missions en 2020.",
    "L'entreprise retenue n'a pas respecté le calendrier ; il a fallu renégocier le contrat.",
    "Les rapports arrivaient en retard et sans pièces justificatives.",
    "Les hommes du village ont d'abord refusé que des femmes siègent au comité.",
    "Le transport du matériel depuis {cercle} a coûté plus cher que prévu.",
    "La coupure des routes pendant l'hivernage a bloqué le chantier {n_small} semaines.",
]
ANSWERS = [
    "Nous avons constitué un petit stock de pièces d'usure à {cercle}.",
    "Un réparateur du village a été formé et équipé.",
    "Une caisse d'entretien alimentée chaque mois a été créée avant l'inauguration.",
    "Le comité rend désormais ses comptes en assemblée villageoise deux fois par an.",
    "Les versements se font maintenant par tranches, sur présentation des factures.",
    "L'ONG {org_sud} a pris le relais du suivi sur place.",
    "Une convention signée par la mairie précise qui paie quoi.",
]
LESSONS = [
    "Impliquer les femmes dès le départ, dans les décisions comme dans la gestion.",
    "Prévoir l'entretien et son financement dès le montage du projet.",
    "Choisir un matériel dont les pièces se trouvent sur place, même s'il est moins performant.",
    "Associer les services techniques de l'État dès l'étude.",
    "Confier la gestion à un comité élu, formé et qui rend ses comptes.",
    "Faire valider le budget par le conseil communal avant de commencer.",
    "Tenir un cahier de suivi des décisions, partagé entre les deux côtés.",
    "Demander un apport du village, même modeste : il en fait son projet.",
    "Ne pas financer un équipement sans savoir qui paiera son fonctionnement.",
    "Prendre le temps d'écouter les partenaires du Sud avant de proposer une solution.",
    "Faire confiance aux partenaires locaux quand on ne peut plus se rendre sur place.",
    "Inscrire l'ouvrage dans le plan de développement communal.",
    "Partager les comptes dans les deux sens : les partenaires du Sud doivent voir le budget complet.",
]
SUCCESS = [
    "La place des femmes dans le comité de gestion.", "La présence permanente de l'ONG partenaire.",
    "L'engagement du maire et du conseil communal.", "Un apport du village en travail et en argent.",
    "Des missions régulières et des échanges par téléphone chaque mois.",
    "Un animateur local payé par le projet pendant trois ans.",
]
SUSTAINABILITY = [
    "Le comité de gestion tient la caisse et rend ses comptes au village deux fois par an.",
    "La mairie a inscrit {obj} dans son plan de développement.",
    "Les salaires sont désormais payés par la commune et l'ASACO.",
    "Les cotisations couvrent l'entretien courant ; les grosses réparations restent à financer.",
    "Le projet continue sans financement extérieur depuis {year_end}.",
]
REGARDS_NORD = [
    "Nous avons longtemps mesuré notre réussite au nombre d'ouvrages financés ; {village} nous a appris "
    "que le vrai travail commence après l'inauguration.",
    "Ne plus pouvoir aller sur place nous a obligés à faire confiance à nos partenaires et à lire leurs "
    "comptes rendus de près.",
    "La relation avec {org_sud} en est sortie plus équilibrée.",
    "Nos adhérents vieillissent ; ce projet a attiré des jeunes dans l'association.",
]
REGARDS_SUD = [
    "Pour les femmes de la coopérative, le projet a changé la vie : moins de fatigue et un revenu.",
    "Nous aurions voulu être consultés plus tôt sur le choix du matériel.",
    "Aujourd'hui c'est nous qui tenons la caisse, et nous n'attendons plus l'aide de France pour réparer.",
    "Les missions des partenaires de {town_fr} nous ont encouragés, même quand rien n'avançait.",
    "Le projet appartient maintenant au village ; les partenaires viennent en amis.",
]
PAGE_KINDS = [  # (title template, theme family or None, kind of body)
    ("Compte rendu de la réunion du groupe {group} du {day} {month} {year}", "meeting"),
    ("Rapport de mission à {commune} ({month} {year})", "mission"),
    ("Guide : {guide}", "guide"),
    ("Appel à projets {funder} {year}", "call"),
    ("Assemblée générale de {org_nord} {year}", "meeting"),
    ("Notes de la formation « {training} » à {town_fr}", "guide"),
]
GUIDES = ["entretenir une pompe manuelle", "monter un budget de projet", "rédiger une fiche d'expérience",
          "organiser une mission au Mali", "transférer des fonds à un partenaire", "créer un comité de gestion",
          "préparer une semaine de la solidarité internationale", "choisir un modèle de pompe",
          "animer un comité de jumelage", "évaluer un projet avec ses partenaires"]
TRAININGS = ["gestion de projet", "suivi et évaluation", "communication interculturelle", "comptabilité associative",
             "recherche de financements", "montage d'un dossier FORIM"]


@dataclass
class Doc:
    kind: str  # "fiche" or "page"
    title: str
    body: str
    fields: dict
    themes: list[str]
    family: str
    group_key: str | None
    words: list[str] = field(default_factory=list)


class Corpus:
    def __init__(self, rng: random.Random):
        self.rng = rng
        regions = list(MALI_REGIONS)
        # Communes: each cercle gets its chief town and three synthesised communes.
        self.places: list[tuple[str, str, str, list[str]]] = []  # region, cercle, commune, villages
        seen = set()
        for region in regions:
            for cercle in MALI_REGIONS[region]:
                names = [cercle] + [self._name(seen) for _ in range(3)]
                for commune in names:
                    self.places.append((region, cercle, commune, [self._name(seen) for _ in range(4)]))
        self.place_weights = [REGION_WEIGHTS[p[0]] / len(MALI_REGIONS[p[0]]) for p in self.places]
        self.orgs_nord = ([f"Comité de jumelage {t}" for t in FRENCH_TOWNS[:20]]
                          + [f"{a} {b}" for a, b in zip(["Solidarité", "Amitié", "Partage", "Les Amis de",
                                                          "Entraide", "Terres de"] * 4,
                                                         ["Auxois-Sahel", "Bourgogne-Mali", "Côte-d'Or–Mali",
                                                          "Mâconnais-Sahel", "Morvan-Mali", "Yonne-Mali",
                                                          "Nivernais-Niger", "Chalonnais-Mali", "Dijon-Ségou",
                                                          "Beaune-Sahel", "Saône-Sahel", "Tournus-Mali"])]
                          + ["Lycée agricole de Quetigny", "Rotary club de Beaune", "Collège du Val d'Ouche"])
        self.orgs_sud = ([f"ONG {w}" for w in BAMBARA_WORDS] + [f"Coopérative {w}" for w in BAMBARA_WORDS[:12]]
                         + [f"Association {w}" for w in BAMBARA_WORDS[8:20]])

    def _name(self, seen: set) -> str:
        while True:
            name = self.rng.choice(SYLLABLES_START) + self.rng.choice(SYLLABLES_END)
            if self.rng.random() < 0.12:
                name += " " + self.rng.choice(["Coura", "Wèrè", "Kôrô", "Plateau", "Marka"])
            if name not in seen:
                seen.add(name)
                return name

    def person(self, side: str) -> str:
        r = self.rng
        return (f"{r.choice(FIRST_NORD)} {r.choice(LAST_NORD)}" if side == "nord"
                else f"{r.choice(FIRST_SUD)} {r.choice(LAST_SUD)}")

    # Helpers ------------------------------------------------------------------

    def _context(self, family: Family) -> dict:
        r = self.rng
        region, cercle, commune, villages = r.choices(self.places, self.place_weights)[0]
        year = r.randint(2005, 2023)
        return dict(region=region, cercle=cercle, commune=commune, village=r.choice(villages),
                    town_fr=r.choice(FRENCH_TOWNS), org_nord=r.choice(self.orgs_nord),
                    org_sud=r.choice(self.orgs_sud), bambara=r.choice(BAMBARA_WORDS), year=year,
                    year_end=min(year + r.randint(1, 5), 2025), month=r.choice(MONTHS), day=r.randint(1, 28),
                    n_m=r.randint(35, 95), n_m3=r.choice([10, 20, 30, 50]), n_km=r.randint(2, 8),
                    n_small=r.randint(2, 9), n_people=r.randrange(120, 4800, 10), n_ha=r.randint(1, 12),
                    n_cfa=f"{r.randrange(100, 900, 50)}" if r.random() < .6 else f"{r.randrange(50, 900, 25)} 000",
                    n_eur=f"{r.randrange(3, 95)} {r.randrange(0, 1000, 100):03d}", pct=r.randint(12, 85),
                    pct2=r.randint(40, 95), group=GROUPS.get(family.group or "", "Santé"))

    def _fill(self, template: str, ctx: dict) -> str:
        text = template.format_map(ctx)
        # « de Autun » → « d'Autun », « à Le Creusot » → « au Creusot »
        if "de A" in text or " Le " in text or "de I" in text:
            text = _ELIDE.sub(r"d'\1", text).replace("à Le ", "au ").replace("de Le ", "du ")
        return text

    def _action(self, family: Family, ctx: dict) -> str:
        r = self.rng
        subject = r.choice(SUBJECTS_SUD if r.random() < 0.6 else SUBJECTS_NORD)
        parts = [subject, r.choice(VERBS)[subject.startswith(("Les ", "Nos "))], r.choice(family.objects)]
        parts += r.sample(COMPLEMENTS, r.choice((1, 1, 2)))
        return self._fill(" ".join(parts), ctx) + "."

    def _cap(self, text: str) -> str:
        return text[:1].upper() + text[1:]

    def _sentences(self, ctx: dict, pool: list[str], low: int, high: int) -> str:
        picks = self.rng.sample(pool, min(len(pool), self.rng.randint(low, high)))
        return " ".join(self._fill(self._cap(p), ctx) + ("" if p.endswith((".", "!", "?")) else ".") for p in picks)

    def _family(self) -> Family:
        return self.rng.choices(FAMILIES, FAMILY_WEIGHTS)[0]

    def _themes(self, family: Family) -> list[str]:
        themes = [family.themes[0]]
        for extra in family.themes[1:]:
            if self.rng.random() < 0.25:
                themes.append(extra)
        return themes

    # Documents ----------------------------------------------------------------

    def sheet(self) -> Doc:
        r = self.rng
        family = self._family()
        ctx = self._context(family)
        in_france = family.france and r.random() < 0.6
        title = self._fill(r.choice(family.titles), ctx)
        objects = [self._fill(o, ctx) for o in r.sample(family.objects, 2)]
        ctx["obj"] = objects[0]
        fields: dict = {}
        if in_france:
            fields["town_fr"] = ctx["town_fr"]
        else:
            fields.update(region=ctx["region"], cercle=ctx["cercle"], commune=ctx["commune"])
            if r.random() < 0.3:
                fields["town_fr"] = ctx["town_fr"]
        fields["period_start"] = ctx["year"]
        if r.random() < 0.85:
            fields["period_end"] = ctx["year_end"]
        fields["partners_nord"] = [ctx["org_nord"]] + ([r.choice(self.orgs_nord)] if r.random() < 0.3 else [])
        fields["partners_sud"] = [ctx["org_sud"]] + ([f"Mairie de {ctx['commune']}"] if r.random() < 0.5 else [])
        fields["abstract"] = (f"{self._cap(objects[0])} au bénéfice de {ctx['n_people']} personnes à "
                              f"{ctx['commune'] if not in_france else ctx['town_fr']}. "
                              + self._fill(self._cap(r.choice(family.results)), ctx) + ".")
        fields["funders"] = ", ".join(r.sample(FUNDERS, r.randint(1, 4))) + "."
        optional = {
            "budget": lambda: self._fill("{n_eur} € au total, dont {n_small} 000 € d'apport local.", ctx),
            "beneficiaries": lambda: self._fill("Environ {n_people} habitants de {village} et des villages "
                                                "voisins, dont {n_small}0 membres du groupement {bambara}.", ctx),
            "context": lambda: "Avant le projet, " + " ; ".join(self._fill(p, ctx) for p in r.sample(
                family.problems, min(len(family.problems), r.randint(1, 3)))) + ". " + self._fill(
                "Le projet est né d'une demande de la mairie de {commune} lors d'une mission en {year}.", ctx),
            "objectives": lambda: self._sentences(ctx, [f"améliorer l'accès à {o}" for o in family.objects[:4]]
                                                  + ["rendre le village autonome pour l'entretien",
                                                     "renforcer la place des femmes dans les décisions"], 1, 2),
            "actions": lambda: " ".join(self._action(family, ctx) for _ in range(r.randint(4, 8))),
            "results": lambda: self._sentences(ctx, family.results, 2, 4),
            "difficulties": lambda: self._sentences(ctx, DIFFICULTIES, 2, 4) + " " + self._sentences(
                ctx, ANSWERS, 1, 2),
            "success_factors": lambda: self._sentences(ctx, SUCCESS, 1, 3),
            "lessons": lambda: self._sentences(ctx, LESSONS, 2, 4),
            "recommendations": lambda: self._sentences(ctx, LESSONS, 1, 3),
            "sustainability": lambda: self._sentences(ctx, SUSTAINABILITY, 1, 2),
            "contacts": lambda: f"{self.person('nord')} ({ctx['org_nord']}) ; {self.person('sud')} ({ctx['org_sud']}).",
            "regard_nord": lambda: self._sentences(ctx, REGARDS_NORD, 2, 3),
            "regard_sud": lambda: self._sentences(ctx, REGARDS_SUD, 2, 3),
        }
        odds = {"regard_nord": 0.35, "regard_sud": 0.35, "budget": 0.6, "contacts": 0.6}
        for key, make in optional.items():
            if r.random() < odds.get(key, 0.8):
                fields[key] = make()
        body = ""
        if r.random() < 0.6:
            body = self._fill("Fiche rédigée par {org_nord} avec ses partenaires de {cercle}. ", ctx) + \
                self._action(family, ctx)
        return Doc("fiche", title, body, fields, self._themes(family), family.key, family.group,
                   words=family.words)

    def page(self) -> Doc:
        r = self.rng
        family = self._family()
        ctx = self._context(family)
        template, shape = r.choice(PAGE_KINDS)
        ctx.update(guide=r.choice(GUIDES), funder=r.choice(FUNDERS[:9]), training=r.choice(TRAININGS))
        title = self._fill(template, ctx)
        lines: list[str] = []
        if shape == "meeting":
            lines.append(self._fill("Présents : {n_small} membres du Nord et {n_small} membres du Sud "
                                    "(par visioconférence depuis {cercle}).", ctx))
            lines.append("\n## Ordre du jour\n")
            lines += [f"- {self._cap(self._fill(o, ctx))}" for o in r.sample(family.objects, 3)]
            lines.append("\n## Échanges\n")
            lines += [self._action(family, ctx) for _ in range(r.randint(2, 6))]
            lines.append(self._sentences(ctx, DIFFICULTIES, 1, 2))
            lines.append("\n## Décisions\n")
            lines += [f"- {l}" for l in r.sample(LESSONS, 2)]
        elif shape == "mission":
            lines.append(self._fill("Mission de {n_small} jours à {commune}, cercle de {cercle}, "
                                    "région de {region}, avec {org_sud}.", ctx))
            lines += [self._action(family, ctx) for _ in range(r.randint(3, 8))]
            lines.append(self._sentences(ctx, family.results, 1, 3))
            lines.append(self._sentences(ctx, DIFFICULTIES, 1, 3))
        elif shape == "guide":
            lines.append("Ce guide rassemble ce que les membres du réseau ont appris sur le terrain.")
            for n in range(1, r.randint(3, 7)):
                lines.append(f"\n## Étape {n}\n")
                lines.append(self._sentences(ctx, LESSONS + ANSWERS, 2, 4))
        else:
            lines.append(self._fill("Le {funder} ouvre un appel à projets pour {year}. Date limite : "
                                    "{day} {month}.", ctx))
            lines.append(self._sentences(ctx, [f"sont éligibles les projets portant sur {o}" for o in
                                               family.objects], 1, 3))
            lines.append(self._fill("Contact : {org_nord}.", ctx))
        if r.random() < 0.3:
            lines.append(f"\nVoir aussi [[{self._fill(r.choice(family.titles), ctx)}]].")
        themes = self._themes(family) if r.random() < 0.6 else []
        return Doc("page", title, "\n".join(lines), {}, themes, family.key, family.group, words=family.words)


# Queries ------------------------------------------------------------------------

@dataclass
class QuerySpec:
    text: str
    filters: dict
    sort: str
    tags: list[str]  # words, accents, typo, facet, date, browse, phrase, miss


def _typo(rng: random.Random, word: str) -> str:
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(["drop", "double", "swap", "vowel"])
    if kind == "drop":
        return word[:i] + word[i + 1:]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    vowels = "aeiou"
    return word[:i] + rng.choice([v for v in vowels if v != word[i]]) + word[i + 1:]


MISSES = ["drone", "blockchain", "cryptomonnaie", "hydrogène", "téléphérique", "patinoire"]


def make_queries(rng: random.Random, count: int, member_group_ids: list[int]) -> list[QuerySpec]:
    """Queries as members type them: 1–4 words (mostly topic words, a place, a name), ~30 %
    without accents, ~10 % with a typo, ~35 % narrowed by a facet (chosen as people do, from
    what the results show: the region of the place they typed, the theme of their topic…),
    ~15 % sorted by date, a few with no words at all (browsing a facet)."""
    regions = list(REGION_WEIGHTS)
    region_weights = list(REGION_WEIGHTS.values())
    region_of = {c: r for r, cs in MALI_REGIONS.items() for c in cs if not c.startswith("Commune")}
    names = LAST_SUD[:10] + LAST_NORD[:6] + BAMBARA_WORDS[:8]
    specs = []
    for _ in range(count):
        family = rng.choices(FAMILIES, FAMILY_WEIGHTS)[0]
        tags: list[str] = []
        roll = rng.random()
        n_words = 1 if roll < 0.3 else 2 if roll < 0.65 else 3 if roll < 0.85 else 4
        words: list[str] = []
        place_region = None
        while len(" ".join(words).split()) < n_words:
            pick = rng.random()
            remaining = n_words - len(" ".join(words).split())
            if pick < 0.6 or not words:
                candidate = rng.choice(family.words)
            elif pick < 0.85:
                region = rng.choices(regions, region_weights)[0]
                if rng.random() < 0.6:
                    candidate = "Bamako" if region == "District de Bamako" else region
                else:
                    candidate = rng.choice([c for c in MALI_REGIONS[region] if c in region_of] or ["Bamako"])
                place_region = place_region or region
            elif pick < 0.93:
                candidate = rng.choice(names)
            else:
                candidate = rng.choice(["femmes", "jeunes", "entretien", "comité", "formation", "budget",
                                        "difficultés", "village", "partenaires", str(rng.randint(2008, 2023))])
            if len(candidate.split()) <= remaining and candidate not in words:
                words.append(candidate)
        text = " ".join(words)
        tags.append(f"{len(text.split())}w")
        special = rng.random()
        if special < 0.10:
            long_words = [w for w in text.split() if len(w) >= 5 and w.isalpha()]
            if long_words:
                target = rng.choice(long_words)
                text = text.replace(target, _typo(rng, target), 1)
                tags.append("typo")
        elif special < 0.13:
            text = f"{text} {rng.choice(MISSES)}" if n_words < 4 else rng.choice(MISSES)
            tags.append("miss")
        elif special < 0.16 and " " in text:
            text = f'"{text}"'
            tags.append("phrase")
        if rng.random() < 0.3:
            text = fold(text)
            tags.append("no-accents")
        filters: dict = {}
        if rng.random() < 0.35:
            for _n in range(2 if rng.random() < 0.15 else 1):
                facet = rng.choices(["themes", "region", "kind", "years", "sides", "group"],
                                    [35, 25, 15, 10, 10, 5])[0]
                filters[facet] = {
                    "themes": lambda: family.themes[0] if rng.random() < 0.8 else rng.choice(family.themes),
                    "region": lambda: place_region or rng.choices(regions, region_weights)[0],
                    "kind": lambda: "fiche" if rng.random() < 0.85 else "page",
                    "years": lambda: str(rng.randint(2008, 2022)),
                    "sides": lambda: rng.choice(["nord", "sud"]),
                    "group": lambda: str(rng.choice(member_group_ids))}[facet]()
            tags.append("facet")
        if rng.random() < 0.04:  # browsing: the search page with a facet and no words
            text = ""
            filters = filters or {"themes": family.themes[0]}
            tags = ["browse", "facet"]
        sort = "date" if rng.random() < 0.15 else "relevance"
        if sort == "date":
            tags.append("date")
        specs.append(QuerySpec(text, filters, sort, tags))
    return specs


@dataclass
class People:
    """Who a bench wiki holds (ids), made by add_groups_and_people."""
    group_ids: dict[str, int]  # GROUPS key → id
    authors: dict[str, list[int]]  # side → its 8 contributors
    member_id: int  # the measured member: Sud contributor
    side_of: dict[int, str]  # every id above → side


def add_groups_and_people(corpus: Corpus, rng: random.Random, member_email: str, member_groups,
                          member_password: str | None = None) -> People:
    """The GROUPS, a coordinator and 8 contributors per side (3 contributors of each side in
    every group) and the measured member in `member_groups`; committed, in an app context."""
    from wiki.auth.accounts import create_user
    from wiki.extensions import db
    from wiki.groups.models import Group, GroupMember
    from wiki.markup import slugify

    groups = {key: Group(slug=slugify(name), name=name, description=f"Groupe thématique {name}.")
              for key, name in GROUPS.items()}
    db.session.add_all(groups.values())
    db.session.flush()
    authors: dict[str, list[int]] = {"nord": [], "sud": []}
    for side in ("nord", "sud"):
        create_user(email=f"{side}0@bench.example", name=corpus.person(side), side=side, role="coordinateur", by=SYSTEM)
        for n in range(1, 9):
            authors[side].append(create_user(email=f"{side}{n}@bench.example", name=corpus.person(side), side=side,
                                             role="contributeur", by=SYSTEM).id)
    member = create_user(email=member_email, name="Awa Traoré", side="sud", role="contributeur",
                         password=member_password, by=SYSTEM)
    for key in member_groups:
        db.session.add(GroupMember(group_id=groups[key].id, user_id=member.id))
    for group in groups.values():
        for side in ("nord", "sud"):
            for uid in rng.sample(authors[side], 3):
                db.session.add(GroupMember(group_id=group.id, user_id=uid))
    db.session.commit()
    side_of = {uid: side for side, ids in authors.items() for uid in ids} | {member.id: "sud"}
    return People({key: g.id for key, g in groups.items()}, authors, member.id, side_of)
