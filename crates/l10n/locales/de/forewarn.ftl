# forewarn: Benachrichtigungen und Handlungsanleitungen, Deutsch.

severity-critical = kritisch
severity-high = hoch
severity-medium = mittel
severity-low = niedrig

kind-credential-phishing = Zugangsdaten-Phishing
kind-malicious-document = schädliches Dokument
kind-lookalike-domain = Doppelgänger-Domain
kind-account-compromise = möglicherweise kompromittiertes Konto

notification-subject = [forewarn] Warnung ({ $severity }) für { $org }: { $kind }
notification-greeting = Hallo Sicherheitsteam von { $org },
notification-what-title = Was passiert ist
notification-what = Am { $time } { $count ->
        [one] hat ein Konto
       *[other] haben { $count } Konten
    } bei { $org } eine Nachricht von { $sender } mit dem Betreff „{ $subject }“ erhalten.
notification-links = Links darin (nicht öffnen): { $links }
notification-who-title = Wer wahrscheinlich dahintersteckt
notification-who-known = Sie passt zu { $actor } (auch bekannt als { $aliases }). Unsere Sicherheit: { $confidence }.
notification-who-unknown = Wir wissen noch nicht, wer dahintersteckt. Es sieht nach einem gezielten Angriff aus, nicht nach gewöhnlichem Spam.
notification-steps-title = Was jetzt zu tun ist
notification-acknowledge = Bestätigen Sie uns, dass Sie dies gesehen haben: { $link }
notification-footer = Diese Warnung kommt von { $operator } über forewarn. Antworten Sie auf diese Nachricht, wenn Sie Hilfe brauchen.
notification-owner-greeting = Hallo, Sie haben Ihr Postfach { $address } über { $org } bei forewarn angemeldet. Eine Nachricht, die dort ankam, gehört zu einem Angriff, und die folgenden Schritte sind für Sie.
notification-analyst-note = Ein Hinweis der Analysten: { $note }

playbook-credential-phishing-1 = Setzen Sie das Passwort jedes Kontos zurück, das die Nachricht erhalten hat, und jedes Kontos, dessen Inhaber auf den Link geklickt oder ein Passwort eingegeben hat.
playbook-credential-phishing-2 = Melden Sie diese Konten überall ab (Sitzungen und App-Passwörter widerrufen).
playbook-credential-phishing-3 = Prüfen Sie die Konten auf neue Weiterleitungen, Posteingangsregeln und delegierte Zugriffe und entfernen Sie alles, was Sie nicht selbst eingerichtet haben.
playbook-credential-phishing-4 = Schalten Sie für diese Konten die Mehr-Faktor-Authentifizierung ein, am besten mit Passkeys oder Sicherheitsschlüsseln.
playbook-credential-phishing-5 = Sperren Sie die Domain des Absenders und die Domains der Links an Ihrem Mail-Gateway.

playbook-malicious-document-1 = Öffnen Sie den Anhang nicht. Löschen Sie die Nachricht aus allen Postfächern, die sie erhalten haben.
playbook-malicious-document-2 = Falls jemand ihn geöffnet hat: Trennen Sie den Rechner vom Netz und lassen Sie ihn prüfen, bevor er wieder benutzt wird.
playbook-malicious-document-3 = Sperren Sie den Hash des Anhangs und die Domain des Absenders an Mail-Gateway und Virenschutz.
playbook-malicious-document-4 = Setzen Sie die Passwörter aller zurück, die den betroffenen Rechner benutzt haben.

playbook-lookalike-domain-1 = Sperren Sie die Doppelgänger-Domain an Ihrem Mail-Gateway und Webfilter.
playbook-lookalike-domain-2 = Warnen Sie Ihre Mitarbeitenden: Nachrichten von dieser Domain kommen weder von Ihnen noch von Ihren Partnern.
playbook-lookalike-domain-3 = Fordern Sie bei uns einen Takedown-Bericht für Registrar und Hoster der Domain an.

playbook-account-compromise-1 = Setzen Sie das Passwort des Kontos sofort zurück und melden Sie es überall ab.
playbook-account-compromise-2 = Suchen Sie nach Nachrichten aus dem Konto, die sein Inhaber nicht geschrieben hat, und warnen Sie deren Empfänger.
playbook-account-compromise-3 = Entfernen Sie Weiterleitungen, Posteingangsregeln und verbundene Apps, die Sie nicht kennen.
playbook-account-compromise-4 = Schalten Sie die Mehr-Faktor-Authentifizierung ein, am besten mit Passkeys oder Sicherheitsschlüsseln.
