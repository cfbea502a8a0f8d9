# forewarn : notifications et fiches réflexes, français.

severity-critical = critique
severity-high = élevée
severity-medium = moyenne
severity-low = faible

kind-credential-phishing = hameçonnage d'identifiants
kind-malicious-document = document malveillant
kind-lookalike-domain = domaine imitant le vôtre
kind-account-compromise = compte peut-être compromis

notification-subject = [forewarn] Alerte { $severity } pour { $org } : { $kind }
notification-greeting = Bonjour à l'équipe sécurité de { $org },
notification-what-title = Ce qui s'est passé
notification-what = Le { $time }, { $count ->
        [one] un compte
       *[other] { $count } comptes
    } de { $org } ont reçu un message de { $sender } ayant pour objet « { $subject } ».
notification-links = Liens qu'il contient (ne les ouvrez pas) : { $links }
notification-who-title = Qui est probablement derrière
notification-who-known = Il correspond à { $actor } (aussi appelé { $aliases }). Notre degré de certitude : { $confidence }.
notification-who-unknown = Nous ne savons pas encore qui est derrière. Cela ressemble à une attaque ciblée, pas à du spam ordinaire.
notification-steps-title = Que faire maintenant
notification-acknowledge = Dites-nous que vous l'avez vu : { $link }
notification-footer = Cette alerte vous est envoyée par { $operator } via forewarn. Répondez à ce message si vous avez besoin d'aide.
notification-owner-greeting = Bonjour, vous avez inscrit votre boîte { $address } à forewarn par l'intermédiaire de { $org }. Un message qui y est arrivé fait partie d'une attaque, et les étapes ci-dessous sont pour vous.
notification-analyst-note = Une note des analystes : { $note }

playbook-credential-phishing-1 = Changez le mot de passe de chaque compte qui a reçu le message, et de tout compte dont le titulaire a cliqué sur le lien ou saisi un mot de passe.
playbook-credential-phishing-2 = Déconnectez ces comptes partout (révoquez les sessions et les mots de passe d'application).
playbook-credential-phishing-3 = Vérifiez si de nouvelles règles de transfert, règles de boîte ou délégations d'accès ont été ajoutées, et supprimez celles que vous n'avez pas créées.
playbook-credential-phishing-4 = Activez l'authentification multifacteur sur ces comptes, de préférence avec des clés d'accès (passkeys) ou des clés de sécurité.
playbook-credential-phishing-5 = Bloquez le domaine de l'expéditeur et ceux des liens sur votre passerelle de messagerie.

playbook-malicious-document-1 = N'ouvrez pas la pièce jointe. Supprimez le message de toutes les boîtes qui l'ont reçu.
playbook-malicious-document-2 = Si quelqu'un l'a ouverte, débranchez cet ordinateur du réseau et faites-le vérifier avant de le réutiliser.
playbook-malicious-document-3 = Bloquez l'empreinte de la pièce jointe et le domaine de l'expéditeur sur votre passerelle de messagerie et votre antivirus.
playbook-malicious-document-4 = Changez les mots de passe des personnes qui ont utilisé l'ordinateur touché.

playbook-lookalike-domain-1 = Bloquez le domaine imitateur sur votre passerelle de messagerie et votre filtrage web.
playbook-lookalike-domain-2 = Prévenez votre personnel : les messages de ce domaine ne viennent ni de vous ni de vos partenaires.
playbook-lookalike-domain-3 = Demandez-nous un rapport de retrait pour le bureau d'enregistrement et l'hébergeur du domaine.

playbook-account-compromise-1 = Changez immédiatement le mot de passe du compte et déconnectez-le partout.
playbook-account-compromise-2 = Cherchez les messages envoyés depuis ce compte que son titulaire n'a pas écrits, et prévenez leurs destinataires.
playbook-account-compromise-3 = Supprimez les règles de transfert, les règles de boîte et les applications connectées que vous ne reconnaissez pas.
playbook-account-compromise-4 = Activez l'authentification multifacteur, de préférence avec des clés d'accès (passkeys) ou des clés de sécurité.

test-notification-subject = [forewarn] Notification de test pour { $org }
test-notification-body = Ceci est un test de forewarn. Les alertes concernant des attaques contre { $org } arriveront à cette adresse. Aucune action n'est nécessaire.

advice-mfa-passkeys-title = Connexion multifacteur et clés d'accès
advice-mfa-passkeys-1 = Un mot de passe volé suffit pour prendre un compte qui ne demande qu'un mot de passe. Un second facteur arrête la plupart de ces prises de contrôle.
advice-mfa-passkeys-2 = Les clés d'accès (passkeys) et les clés de sécurité sont le choix le plus sûr : elles ne fonctionnent que sur le vrai site, une page d'hameçonnage ne peut donc pas les capturer.
advice-mfa-passkeys-3 = Une application d'authentification est le meilleur choix suivant. Les codes par SMS valent mieux que rien, mais les attaquants peuvent les intercepter.
advice-mfa-passkeys-4 = Commencez par les comptes que les attaquants recherchent le plus : la messagerie, les administrateurs, la comptabilité et toute personne qui traite des données de patients ou de dossiers.
advice-recognizing-phishing-title = Reconnaître l'hameçonnage
advice-recognizing-phishing-1 = Regardez l'adresse de l'expéditeur, pas seulement le nom affiché. Les attaquants empruntent le nom d'autorités sanitaires, de ministères, de fournisseurs ou de votre propre service informatique.
advice-recognizing-phishing-2 = Méfiez-vous de l'urgence : un compte sur le point d'être fermé, un paiement à faire aujourd'hui, des résultats d'analyse à télécharger tout de suite.
advice-recognizing-phishing-3 = Avant de cliquer, vérifiez où mène vraiment un lien. Les domaines presque identiques (une lettre en plus, une autre terminaison) sont une ruse courante.
advice-recognizing-phishing-4 = Ne saisissez jamais votre mot de passe sur une page atteinte par un lien reçu dans un message. Ouvrez le site vous-même.
advice-recognizing-phishing-5 = Les pièces jointes qui demandent d'activer les macros ou le contenu, ou les archives protégées par un mot de passe, sont un signal d'alarme.
advice-reporting-mail-title = Signaler un message suspect
advice-reporting-mail-1 = Si un message vous semble anormal, n'y répondez pas, ne cliquez sur rien et n'ouvrez rien.
advice-reporting-mail-2 = Transférez-le en pièce jointe à l'adresse de signalement de votre organisation, ou prévenez votre contact informatique, pour qu'il soit vérifié et que les autres soient avertis.
advice-reporting-mail-3 = Si vous avez déjà cliqué ou saisi un mot de passe, dites-le tout de suite : changer vite le mot de passe limite les dégâts. Personne n'est blâmé pour un signalement.

ui-skip = Aller au contenu
ui-nav-label = Principal
ui-nav-dashboard = Tableau de bord
ui-nav-triage = Tri
ui-nav-dead-letters = Messages en échec
ui-nav-organizations = Organisations
ui-nav-organization = Organisation
ui-nav-incidents = Incidents
ui-nav-people = Personnes
ui-nav-accounts = Mes comptes
ui-nav-guidance = Conseils
ui-language = Langue
ui-sign-in = Se connecter
ui-sign-out = Se déconnecter
ui-email = Adresse e-mail
ui-password = Mot de passe
ui-login-apply = Pas encore membre ?
ui-apply-link = Inscrire votre organisation
ui-login-failed = L'adresse ou le mot de passe est incorrect.
ui-change-password = Changer de mot de passe
ui-current-password = Mot de passe actuel
ui-new-password = Nouveau mot de passe
ui-new-password-hint = Au moins 12 caractères : une phrase de plusieurs mots sans rapport entre eux est le mieux. Les mots de passe divulgués lors de fuites, les mots courants suivis de chiffres, votre nom ou votre adresse sont refusés.
ui-password-change-due = Choisissez d'abord votre propre mot de passe : le mot de passe à usage unique avec lequel vous vous êtes connecté ne permet que cela.
ui-password-changed = Votre mot de passe est changé et toutes vos sessions sont fermées. Connectez-vous avec le nouveau mot de passe.
ui-program-second-factor = Les administrateurs et membres de ses organisations doivent aussi se connecter avec un second facteur
ui-security = Sécurité de connexion
ui-second-factor = Confirmez que c'est bien vous
ui-second-factor-intro = Votre mot de passe est correct. Utilisez maintenant votre clé d'accès, un code de votre application d'authentification ou un code de secours.
ui-use-passkey = Utiliser une clé d'accès
ui-passkey-failed = La clé d'accès n'a pas été utilisée. Réessayez, ou choisissez un autre moyen.
ui-totp-code = Code de votre application d'authentification
ui-verify = Vérifier
ui-recovery-code = Code de secours
ui-use-recovery-code = Second facteur perdu ? Utilisez un code de secours
ui-second-factor-refused = Ce n'est pas accepté : c'est incorrect, ou déjà utilisé.
ui-second-factor-required = Votre rôle ou votre programme exige un second facteur. Ajoutez une clé d'accès ou une application d'authentification avant toute chose.
ui-second-factors = Vos seconds facteurs
ui-no-second-factors = Vous n'avez encore aucun second facteur.
ui-factor-passkey = Clé d'accès
ui-factor-totp = Application d'authentification
ui-added-at = Ajouté le
ui-last-used = Dernière utilisation
ui-never = jamais
ui-remove = Retirer
ui-add-passkey = Ajouter une clé d'accès
ui-factor-label-hint = Un nom que vous reconnaîtrez, comme « clé du bureau » ou « téléphone ».
ui-add-totp = Ajouter une application d'authentification
ui-totp-setup = Saisissez cette clé dans votre application d'authentification, ou ouvrez le lien sur le téléphone qui porte l'application ; tapez ensuite le code qu'elle affiche.
ui-totp-key = Clé
ui-totp-link = Lien pour l'application
ui-recovery-codes = Codes de secours
ui-recovery-codes-left = Codes de secours inutilisés : { $count }
ui-new-recovery-codes = Créer de nouveaux codes de secours
ui-recovery-codes-shown-once = Gardez ces codes en lieu sûr, loin de cet ordinateur : chacun vous connecte une fois si vous perdez vos seconds facteurs. Ils ne sont affichés que maintenant, et les codes précédents ne fonctionnent plus.
ui-back = Retour
ui-back-home = Retour à la page d'accueil
ui-done = fait
ui-to-do = à faire
ui-add = Ajouter
ui-save = Enregistrer
ui-name = Nom
ui-description = Description
ui-status = État
ui-kind = Type
ui-role = Rôle
ui-decision = Action
ui-older = Incidents plus anciens
ui-next-page = Page suivante

ui-error-not-found = Introuvable
ui-error-forbidden = Votre rôle ne le permet pas
ui-error-csrf = Ce formulaire a expiré ; rechargez la page et réessayez
ui-error-sign-in = Veuillez vous connecter
ui-error-too-many = Trop de tentatives ; attendez une minute et réessayez
ui-error-not-done = Non effectué
ui-error-upstream = Un service dont forewarn dépend n'a pas répondu
ui-error-internal = Une erreur s'est produite ; réessayez plus tard

ui-apply-title = Rejoindre forewarn
ui-apply-intro = forewarn prévient les organisations exposées des attaques par e-mail qui les visent. Choisissez le programme qui correspond à votre organisation et présentez-la ; l'opérateur examine chaque candidature.
ui-apply-no-programs = Aucun programme n'accepte de candidatures pour le moment.
ui-programs = Programmes
ui-program = Programme
ui-sectors = Secteurs
ui-countries = Pays
ui-ends-on = Prend fin le
ui-programs-intro = Un programme indique quelles organisations peuvent postuler (secteurs, pays) et jusqu’à quand. Son seuil d’alerte s’applique aussitôt à chacune de ses organisations qui n’a pas fixé le sien.
ui-programs-none = Aucun programme pour l’instant : créez le premier ci-dessous, puis les organisations pourront postuler.
ui-program-new = Nouveau programme
ui-program-name = Nom
ui-program-sectors-field = Secteurs (séparés par des virgules, p. ex. healthcare, ngo)
ui-program-countries-field = Pays (codes à deux lettres séparés par des virgules, p. ex. FR, KE)
ui-program-ends-on-hint = (laisser vide s’il ne se termine pas)
ui-program-no-end = sans fin
ui-program-notify-at = Prévenir aussitôt les organisations à partir de
ui-notify-at-never = jamais : un analyste approuve chaque incident
ui-program-create = Créer le programme
ui-org-name = Nom de l'organisation
ui-sector = Secteur
ui-country = Pays
ui-country-code = Pays (code à deux lettres, p. ex. FR)
ui-domains-field = Vos domaines de messagerie (un par ligne)
ui-admin = Qui fait la demande (devient l'administrateur de l'organisation)
ui-apply-contact-note = La personne qui fait la demande est aussi le premier contact sécurité. Une adresse sur l'un des domaines ci-dessus est requise.
ui-apply-submit = Envoyer la candidature
ui-applied-title = Candidature reçue
ui-applied-text = Merci. L'opérateur examinera la candidature de { $org }. Une fois celle-ci approuvée, l'administrateur recevra une invitation par e-mail ; vérifiez ensuite vos domaines.

ui-setup = Mise en place
ui-step-approved = Candidature approuvée
ui-step-domain = Au moins un domaine vérifié
ui-step-contacts = Contacts sécurité désignés
ui-step-webhook = Un webhook ajouté (facultatif)
ui-step-invite = Personnel invité
ui-approve-org = Approuver
ui-reject-org = Refuser
ui-suspend-org = Suspendre
ui-reinstate-org = Rétablir
ui-org-status-pending = en attente d'approbation
ui-org-status-active = active
ui-org-status-suspended = suspendue
ui-org-status-left = partie
ui-domains = Domaines
ui-domains-intro = forewarn ne surveille le courrier que des domaines vérifiés. Publiez l'enregistrement TXT indiqué puis cliquez sur « Vérifier maintenant » ; ou faites envoyer un lien de confirmation au postmaster du domaine.
ui-domain = Domaine
ui-dns-record = Enregistrement DNS à publier
ui-record-type = Type
ui-record-name = Nom
ui-record-value = Valeur
ui-check-now = Vérifier maintenant
ui-mail-postmaster = Écrire au postmaster
ui-add-domain = Ajouter un domaine
ui-domain-status-pending = pas encore vérifié
ui-domain-status-verified = vérifié
ui-domain-status-lapsed = plus vérifié : son courrier est refusé jusqu'à une nouvelle vérification
ui-domain-verified = { $domain } est vérifié.
ui-postmaster-sent = Un lien de confirmation a été envoyé à postmaster@{ $domain }.
ui-contacts = Contacts sécurité
ui-contacts-intro = Qui reçoit les alertes, dans quelle langue et par quel canal.
ui-contact-n = Contact { $n }
ui-channel = Canal
ui-channel-email = E-mail
ui-channel-webhook = Webhook
ui-save-contacts = Enregistrer les contacts
ui-webhooks = Webhooks
ui-webhooks-intro = Les alertes peuvent aussi être envoyées, signées, à vos propres systèmes (un outil de tickets ou une messagerie instantanée).
ui-endpoint-status-enabled = actif
ui-endpoint-status-disabled = désactivé
ui-webhook-secret-intro = Le point d'accès a été ajouté. Son secret de signature n'est affiché que maintenant ; conservez-le là où votre récepteur peut le lire :
ui-webhook-secret-note = Chaque webhook est signé avec ce secret (Standard Webhooks). Vous pourrez le remplacer plus tard.
ui-test-title = Notification de test
ui-test-intro = Envoyez une alerte de test à chaque contact par e-mail et à chaque webhook actif, pour vérifier qu'elle arrive.
ui-test-send = Envoyer une notification de test
ui-test-nobody = Personne à qui envoyer un test : ajoutez d'abord un contact avec le canal e-mail ou un webhook.
ui-recipient = Destinataire
ui-result = Résultat
ui-delivered = remise
ui-not-delivered = non remise

ui-members = Membres
ui-invite-title = Inviter du personnel
ui-invite-intro = La personne reçoit par e-mail un lien pour choisir un mot de passe. Son adresse doit être sur l'un de vos domaines vérifiés.
ui-invite = Envoyer l'invitation
ui-role-operator = opérateur
ui-role-analyst = analyste
ui-role-org-admin = administrateur
ui-role-member = membre
ui-user-status-invited = invité
ui-user-status-active = actif
ui-user-status-left = parti
ui-accounts = Comptes
ui-account = Compte
ui-accounts-watched = Comptes surveillés
ui-accounts-privacy = Les boîtes personnelles appartiennent à leurs titulaires : leurs adresses ne sont pas affichées ici.
ui-account-personal = personnel
ui-account-enterprise = professionnel
ui-account-status-pending = en attente de confirmation
ui-account-status-confirmed = surveillé
ui-account-status-revoked = retiré
ui-personal-account = un compte personnel
ui-revoke = Arrêter la surveillance
ui-withdraw = Me retirer
ui-accounts-intro = Les boîtes que vous avez demandé à forewarn de surveiller pour { $org }.
ui-accounts-none = Vous n'avez encore inscrit aucune boîte.
ui-consented = Consentement donné
ui-opt-in-title = Inscrire une boîte aux lettres
ui-consent-title = Ce que vous acceptez (conditions { $version })
ui-consent-1 = forewarn examine le courrier qui arrive dans cette boîte à la recherche d'attaques et, s'il en trouve une, prévient l'équipe sécurité de { $org } et vous-même.
ui-consent-2 = forewarn conserve ce qu'il faut pour reconnaître une attaque (expéditeurs, objets, liens et empreintes des pièces jointes), pas le texte de vos messages. Votre adresse personnelle n'est pas montrée à votre organisation.
ui-consent-3 = Vous pouvez vous retirer à tout moment depuis cette page ; l'adresse est alors effacée.
ui-consent-accept = J'ai lu ce qui précède et je l'accepte.
ui-mailbox = Adresse de la boîte
ui-opt-in = M'inscrire
ui-opt-in-pending = Presque fini : nous avons envoyé un lien de confirmation à cette boîte. Rien n'est surveillé avant que vous l'ayez suivi.
ui-opt-in-done = La boîte est surveillée dès maintenant.

ui-incidents-title = Incidents
ui-incidents-intro = Les attaques que forewarn a vues contre { $org }, des plus récentes aux plus anciennes.
ui-incidents-none = Aucun incident pour l'instant.
ui-incident = Incident
ui-messages = Messages
ui-messages-count = { $count ->
        [one] un message
       *[other] { $count } messages
    }
ui-status-new = nouveau
ui-status-notified = notifié
ui-status-acknowledged = pris en compte
ui-status-resolved = résolu
ui-status-false-positive = faux positif
ui-mark-acknowledged = Prendre en compte
ui-mark-resolved = Marquer comme résolu
ui-mark-false-positive = Pas une attaque (faux positif)
ui-card-seen = Ce que nous avons vu
ui-card-why = Pourquoi c'est important
ui-card-steps = Que faire maintenant
ui-sender = Expéditeur
ui-subject = Objet
ui-links = Liens (ne les ouvrez pas)
ui-attachments = Pièces jointes
ui-accounts-targeted = Comptes visés
ui-first-seen = Vu la première fois
ui-last-seen = Vu la dernière fois
ui-actor = Qui est probablement derrière
ui-actor-unknown = pas encore connu
ui-confidence = Degré de certitude
ui-techniques = Techniques ATT&CK
ui-findings = Ce que forewarn a trouvé
ui-more-guidance = Plus de conseils
ui-export = Partager avec d'autres outils (TLP:AMBER+STRICT, sans nommer d'organisation) :
ui-export-stix = paquet STIX 2.1
ui-export-misp = événement MISP
ui-severity = Gravité

ui-triage-title = Tri
ui-triage-intro = Les incidents dont personne n'a encore été informé, des plus anciens aux plus récents. Approuvez pour prévenir l'organisation maintenant, corrigez l'incident ou écartez-le.
ui-triage-empty = Rien n'attend d'examen.
ui-organization = Organisation
ui-approve = Approuver et prévenir
ui-dismiss = Écarter
ui-evidence = Éléments
ui-received = Reçu
ui-verdict = Verdict
ui-verdict-clean = sain
ui-verdict-suspicious = suspect
ui-verdict-malicious = malveillant
ui-detector = Détecteur
ui-finding = Constat
ui-where = Où
ui-points = Points
ui-edit-title = Corriger avant de prévenir
ui-title = Titre
ui-analyst-note = Note pour l'organisation
ui-notifications = Notifications
ui-attempts = Tentatives
ui-delivery-pending = en attente
ui-delivery-failed = échec, nouvel essai prévu
ui-delivery-sent = envoyée
ui-delivery-abandoned = abandonnée

ui-dashboard-title = Tableau de bord
ui-stat-active-orgs = organisations actives
ui-stat-pending = candidatures en attente
ui-stat-accounts = comptes surveillés
ui-stat-open-incidents = incidents ouverts
ui-stat-waiting = incidents en attente d'examen
ui-pending-title = Candidatures en attente
ui-pending-none = Aucune candidature n'attend.
ui-applied = Déposée
ui-chart-notifications = Notifications envoyées par jour (30 derniers jours)
ui-chart-by-program = Organisations par programme
ui-chart-by-sector = Organisations par secteur
ui-chart-by-country = Organisations par pays
ui-chart-accounts = Comptes surveillés par type
ui-chart-by-actor = Incidents par acteur
ui-chart-by-kind = Incidents par type
ui-dead-letters-intro = Les messages qui n'ont pas pu être analysés, avec la raison. Relancez-en un après avoir corrigé la cause.
ui-dead-letters-none = Aucun message n'attend ici.
ui-reason = Raison
ui-size = Taille (octets)
ui-retry = Relancer

ui-guidance-intro = Des étapes concrètes face aux attaques que signale forewarn, et des habitudes qui les font échouer.
ui-guidance-playbooks = Si vous êtes attaqué
ui-guidance-advice = Rester en sécurité
ui-guidance-playbook-intro = Suivez ces étapes dans l'ordre. Si vous avez besoin d'aide, répondez à l'alerte reçue.

ui-nav-intel = Renseignement
ui-aliases = Aussi connu sous le nom de
ui-indicators = Indicateurs
ui-named-with = Cité avec
ui-more-not-shown = { $count } autres ne sont pas affichés.
ui-search-indicators = Chercher dans les indicateurs
ui-search = Chercher
ui-intel-none = Aucun renseignement sur les menaces n'est chargé dans ce processus. Indiquez des fichiers ou dossiers de flux sous ingest.intel dans la configuration.
ui-cross-campaigns = Campagnes touchant plusieurs organisations membres
ui-cross-campaigns-none = Aucune campagne n’a atteint plus d’une organisation membre.
ui-orgs-reached = Organisations atteintes
ui-warned = Organisations alertées
ui-program-early-warning = Alerte précoce entre organisations
ui-program-warn-enabled = Relier les incidents de ses organisations à ceux des autres et les alerter des campagnes qui arrivent
ui-program-warn-k = Dire combien d’organisations ont été touchées à partir de (k)
ui-program-warn-window = Relier les incidents sur (heures)
ui-program-warn-scope = Alerter les organisations
ui-warn-scope-sector = du même secteur
ui-warn-scope-country = du même pays
ui-warn-scope-program = du même programme
ui-managed-feeds = Flux gérés
ui-feeds-intro = Les flux ajoutés par l’opérateur : collections TAXII 2.1, documents à une URL (paquets STIX, événements MISP, CSV et listes) et répertoires de flux MISP. Chacun est lu selon son calendrier ; celui dont la lecture échoue garde ses indicateurs et dit pourquoi.
ui-feeds-none = Aucun flux n’est encore géré ici. Les fichiers de renseignement nommés dans la configuration sont lus malgré tout.
ui-feed-last-read = Dernière lecture
ui-feed-error = La dernière lecture a échoué
ui-feed-paused = En pause
ui-feed-active = Actif
ui-feed-pause = Mettre en pause
ui-feed-resume = Reprendre
ui-feed-new = Ajouter un flux
ui-feed-location = URL (une collection TAXII, un document ou un répertoire de flux MISP)
ui-feed-every = Lire toutes les (minutes)
ui-feed-credentials-note = Identifiants, si le serveur les demande : un utilisateur et un mot de passe, ou un jeton. Ils sont conservés chiffrés et ne sont plus jamais affichés.
ui-feed-user = Utilisateur
ui-feed-token = Jeton
ui-feeds = Flux et leur dernière importation
ui-feed = Flux
ui-format = Format
ui-rejected = Rejetés
ui-last-import = Dernière importation
ui-actors = Acteurs
ui-campaigns = Campagnes
ui-malware-tools = Maliciels et outils
ui-value = Valeur
ui-valid-until = Valable jusqu'au
ui-attributed-to = Attribué à
ui-search-hint = Tapez une partie d'un domaine, d'une adresse, d'une URL ou d'une empreinte, ou le nom d'un acteur.

ui-link-unknown = Ce lien est inconnu, déjà utilisé ou expiré. Demandez-en un nouveau.
ui-join-title = Rejoindre forewarn
ui-join-intro = Vous avez été invité à forewarn, le service qui prévient les organisations des attaques par e-mail qui les visent. Choisissez un mot de passe pour le rejoindre.
ui-join-intro-org = Vous avez été invité à forewarn, le service qui prévient { $org } des attaques par e-mail qui la visent. Choisissez un mot de passe pour le rejoindre.
ui-join-password = Choisissez un mot de passe (au moins 12 caractères)
ui-join = Rejoindre
ui-joined-title = Bienvenue
ui-joined-text = Vous êtes inscrit. Connectez-vous avec votre adresse et le mot de passe choisi.
ui-confirm-title = Confirmer
ui-confirm-account-intro = Confirmez que forewarn peut surveiller cette boîte aux lettres à la recherche d'attaques, pour { $org }.
ui-confirm-domain = Confirmez que { $org } utilise ce domaine de messagerie, afin que forewarn puisse surveiller le courrier qui y arrive.
ui-confirm = Confirmer
ui-confirmed-title = Confirmé
ui-confirmed-account = Merci. forewarn surveille désormais cette boîte à la recherche d'attaques ; vous pouvez vous retirer à tout moment depuis votre page de comptes.
ui-confirmed-domain = Merci. Le domaine est vérifié.

mail-invitation-subject = Vous êtes invité à forewarn pour { $org }
mail-invitation-body =
    Vous avez été invité à forewarn, le service qui prévient { $org } des attaques par e-mail qui la visent.

    Pour le rejoindre, choisissez un mot de passe ici (le lien fonctionne une fois, pendant { $hours } heures) :

    { $link }

    Si vous n'attendiez pas ce message, ignorez-le.
mail-invitation-staff-subject = Vous êtes invité à forewarn
mail-invitation-staff-body =
    Vous avez été invité à rejoindre l'équipe de cette instance de forewarn, le service qui prévient les organisations des attaques par e-mail qui les visent.

    Pour le rejoindre, choisissez un mot de passe ici (le lien fonctionne une fois, pendant { $hours } heures) :

    { $link }

    Si vous n'attendiez pas ce message, ignorez-le.
mail-account-subject = Confirmez que forewarn peut surveiller cette boîte aux lettres
mail-account-body =
    Quelqu'un chez { $org } a demandé à forewarn de surveiller cette boîte aux lettres à la recherche d'attaques.

    Si c'était vous et que vous êtes d'accord, confirmez ici (le lien fonctionne une fois, pendant { $hours } heures) :

    { $link }

    Rien n'est surveillé avant votre confirmation, et vous pouvez vous retirer à tout moment ; cette adresse est alors effacée.
    Si ce n'était pas vous, ignorez ce message.
mail-password-changed-subject = Votre mot de passe forewarn a été changé
mail-password-changed-body =
    Le mot de passe de votre compte forewarn a été changé le { $time }, et toutes vos sessions et tous vos jetons d'API ont pris fin.

    Si c'était vous, il n'y a rien à faire.
    Sinon, quelqu'un d'autre connaît votre mot de passe : prévenez tout de suite l'opérateur de cette instance forewarn.
mail-domain-lapsed-subject = { $domain } n'est plus vérifié auprès de forewarn
mail-domain-lapsed-body =
    forewarn vérifie de temps en temps que votre organisation contrôle toujours { $domain }, et n'a pas pu le confirmer cette fois : l'enregistrement TXT qui l'avait vérifié a disparu, ou le postmaster n'a pas suivi le lien envoyé pour le confirmer à nouveau.

    Tant qu'il n'est pas vérifié à nouveau, le courrier journalisé vers forewarn pour des adresses en { $domain } est refusé et n'est pas analysé.

    Pour le vérifier à nouveau, publiez l'enregistrement TXT indiqué sur la page de votre organisation, ou demandez-y un lien pour le postmaster :

    { $link }

mail-domain-subject = Confirmez que { $org } utilise ce domaine
mail-domain-body =
    { $org } a demandé à forewarn de vérifier que ce domaine de messagerie lui appartient.

    Si c'est exact, confirmez ici (le lien fonctionne une fois, pendant { $hours } heures) :

    { $link }

    Sinon, ignorez ce message.

warning-subject = [forewarn] Alerte précoce : { $campaign } atteint des organisations comme la vôtre
warning-intro = Une campagne qui a atteint { $reach } au cours des { $hours } dernières heures pourrait vous viser ensuite. forewarn ne l'a pas encore vue dans votre messagerie.
warning-reach-count = { $count } organisations membres
warning-reach-some = d'autres organisations membres
warning-block-title = Bloquez ceci dès maintenant (passerelle de messagerie, proxy web ou DNS)
warning-steps-title = Si elle atteint vos équipes
warning-footer = Cette alerte vient de { $operator } par forewarn. Elle ne nomme aucune organisation touchée.
