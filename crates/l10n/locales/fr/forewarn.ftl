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
