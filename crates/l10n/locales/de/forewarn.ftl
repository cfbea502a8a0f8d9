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

test-notification-subject = [forewarn] Testbenachrichtigung für { $org }
test-notification-body = Dies ist ein Test von forewarn. Warnungen vor Angriffen auf { $org } werden an diese Adresse geschickt. Es ist nichts zu tun.

advice-mfa-passkeys-title = Mehrfaktor-Anmeldung und Passkeys
advice-mfa-passkeys-1 = Ein gestohlenes Passwort genügt, um ein Konto zu übernehmen, das nur ein Passwort verlangt. Ein zweiter Faktor verhindert die meisten dieser Übernahmen.
advice-mfa-passkeys-2 = Passkeys und Sicherheitsschlüssel sind die stärkste Wahl: Sie funktionieren nur auf der echten Website, daher kann eine Phishing-Seite sie nicht abgreifen.
advice-mfa-passkeys-3 = Eine Authenticator-App ist die nächstbeste Wahl. Codes per SMS sind besser als nichts, können aber von Angreifern abgefangen werden.
advice-mfa-passkeys-4 = Beginnen Sie mit den Konten, auf die Angreifer es am meisten abgesehen haben: E-Mail, Administratoren, Finanzen und alle, die mit Patienten- oder Falldaten arbeiten.
advice-recognizing-phishing-title = Phishing erkennen
advice-recognizing-phishing-1 = Achten Sie auf die Absenderadresse, nicht nur auf den angezeigten Namen. Angreifer nutzen die Namen von Gesundheitsbehörden, Ministerien, Lieferanten oder Ihrer eigenen IT.
advice-recognizing-phishing-2 = Seien Sie bei Dringlichkeit misstrauisch: ein Konto, das gleich gesperrt wird, eine heute fällige Zahlung, Testergebnisse zum sofortigen Herunterladen.
advice-recognizing-phishing-3 = Prüfen Sie vor dem Klicken, wohin ein Link wirklich führt. Fast richtige Domains (ein Buchstabe mehr, eine andere Endung) sind ein häufiger Trick.
advice-recognizing-phishing-4 = Geben Sie Ihr Passwort nie auf einer Seite ein, die Sie über einen Link aus einer Nachricht erreicht haben. Öffnen Sie die Website selbst.
advice-recognizing-phishing-5 = Anhänge, die verlangen, Makros oder Inhalte zu aktivieren, oder passwortgeschützte Archive sind ein Warnzeichen.
advice-reporting-mail-title = Verdächtige E-Mails melden
advice-reporting-mail-1 = Wenn Ihnen eine Nachricht seltsam vorkommt, antworten Sie nicht, klicken Sie nichts an und öffnen Sie nichts darin.
advice-reporting-mail-2 = Leiten Sie sie als Anhang an die Meldeadresse Ihrer Organisation weiter oder sagen Sie Ihrer IT-Ansprechperson Bescheid, damit sie geprüft und andere gewarnt werden.
advice-reporting-mail-3 = Wenn Sie schon geklickt oder ein Passwort eingegeben haben, sagen Sie es sofort: Ein schnell geändertes Passwort begrenzt den Schaden. Niemand wird für eine Meldung getadelt.

ui-skip = Zum Inhalt
ui-nav-label = Hauptmenü
ui-nav-dashboard = Übersicht
ui-nav-triage = Sichtung
ui-nav-dead-letters = Unzustellbare Nachrichten
ui-nav-organizations = Organisationen
ui-nav-organization = Organisation
ui-nav-incidents = Vorfälle
ui-nav-people = Personen
ui-nav-accounts = Meine Konten
ui-nav-guidance = Ratgeber
ui-language = Sprache
ui-sign-in = Anmelden
ui-sign-out = Abmelden
ui-email = E-Mail-Adresse
ui-password = Passwort
ui-login-apply = Noch kein Mitglied?
ui-apply-link = Ihre Organisation anmelden
ui-login-failed = Adresse oder Passwort ist falsch.
ui-change-password = Passwort ändern
ui-current-password = Aktuelles Passwort
ui-new-password = Neues Passwort
ui-new-password-hint = Mindestens 12 Zeichen: am besten ein Satz aus mehreren Wörtern, die nichts miteinander zu tun haben. Passwörter aus Datenlecks, gängige Wörter mit Ziffern und Ihr eigener Name oder Ihre Adresse werden abgelehnt.
ui-password-change-due = Wählen Sie zuerst Ihr eigenes Passwort: Das Einmalpasswort, mit dem Sie sich angemeldet haben, erlaubt nur das.
ui-password-changed = Ihr Passwort ist geändert, und alle Ihre Sitzungen sind beendet. Melden Sie sich mit dem neuen Passwort an.
ui-program-second-factor = Auch Admins und Mitglieder seiner Organisationen müssen sich mit einem zweiten Faktor anmelden
ui-security = Anmeldesicherheit
ui-second-factor = Bestätigen Sie, dass Sie es sind
ui-second-factor-intro = Ihr Passwort war richtig. Verwenden Sie jetzt Ihren Passkey, einen Code aus Ihrer Authenticator-App oder einen Wiederherstellungscode.
ui-use-passkey = Passkey verwenden
ui-passkey-failed = Der Passkey wurde nicht verwendet. Versuchen Sie es erneut oder wählen Sie einen anderen Weg.
ui-totp-code = Code aus Ihrer Authenticator-App
ui-verify = Prüfen
ui-recovery-code = Wiederherstellungscode
ui-use-recovery-code = Zweiten Faktor verloren? Wiederherstellungscode verwenden
ui-second-factor-refused = Das wurde nicht angenommen: Es ist falsch oder wurde schon verwendet.
ui-second-factor-required = Ihre Rolle oder Ihr Programm verlangt einen zweiten Faktor. Fügen Sie vor allem anderen einen Passkey oder eine Authenticator-App hinzu.
ui-second-factors = Ihre zweiten Faktoren
ui-no-second-factors = Sie haben noch keinen zweiten Faktor.
ui-factor-passkey = Passkey
ui-factor-totp = Authenticator-App
ui-added-at = Hinzugefügt
ui-last-used = Zuletzt verwendet
ui-never = nie
ui-remove = Entfernen
ui-add-passkey = Passkey hinzufügen
ui-factor-label-hint = Ein Name, den Sie wiedererkennen, etwa „Büroschlüssel“ oder „Telefon“.
ui-add-totp = Authenticator-App hinzufügen
ui-totp-setup = Geben Sie diesen Schlüssel in Ihre Authenticator-App ein oder öffnen Sie den Link auf dem Telefon mit der App; tippen Sie dann den Code ein, den die App zeigt.
ui-totp-key = Schlüssel
ui-totp-link = Link für die App
ui-recovery-codes = Wiederherstellungscodes
ui-recovery-codes-left = Unbenutzte Wiederherstellungscodes: { $count }
ui-new-recovery-codes = Neue Wiederherstellungscodes erstellen
ui-recovery-codes-shown-once = Bewahren Sie diese Codes sicher und getrennt von diesem Computer auf: Jeder meldet Sie einmal an, wenn Sie Ihre zweiten Faktoren verlieren. Sie werden nur jetzt angezeigt, und frühere Codes gelten nicht mehr.
ui-back = Zurück
ui-back-home = Zurück zur Startseite
ui-done = erledigt
ui-to-do = offen
ui-add = Hinzufügen
ui-save = Speichern
ui-name = Name
ui-description = Beschreibung
ui-status = Status
ui-kind = Art
ui-role = Rolle
ui-decision = Aktion
ui-older = Ältere Vorfälle
ui-next-page = Nächste Seite

ui-error-not-found = Nicht gefunden
ui-error-forbidden = Ihre Rolle erlaubt das nicht
ui-error-csrf = Dieses Formular ist abgelaufen; laden Sie die Seite neu und versuchen Sie es noch einmal
ui-error-sign-in = Bitte melden Sie sich an
ui-error-too-many = Zu viele Versuche; warten Sie eine Minute und versuchen Sie es erneut
ui-error-not-done = Nicht ausgeführt
ui-error-upstream = Ein Dienst, auf den forewarn angewiesen ist, hat nicht geantwortet
ui-error-internal = Etwas ist schiefgegangen; versuchen Sie es später erneut

ui-apply-title = Bei forewarn bewerben
ui-apply-intro = forewarn warnt gefährdete Organisationen vor E-Mail-Angriffen, die sich gegen sie richten. Wählen Sie das passende Programm für Ihre Organisation und stellen Sie sie vor; der Betreiber prüft jede Bewerbung.
ui-apply-no-programs = Derzeit nimmt kein Programm Bewerbungen an.
ui-programs = Programme
ui-program = Programm
ui-sectors = Sektoren
ui-countries = Länder
ui-ends-on = Endet am
ui-programs-intro = Ein Programm legt fest, welche Organisationen sich bewerben können (Sektoren, Länder) und bis wann. Seine Benachrichtigungsschwelle gilt sofort für jede seiner Organisationen, die keine eigene festgelegt hat.
ui-programs-none = Noch kein Programm: Legen Sie unten das erste an, dann können sich Organisationen bewerben.
ui-program-new = Neues Programm
ui-program-name = Name
ui-program-sectors-field = Sektoren (durch Kommas getrennt, z. B. healthcare, ngo)
ui-program-countries-field = Länder (Zwei-Buchstaben-Codes durch Kommas getrennt, z. B. DE, KE)
ui-program-ends-on-hint = (leer lassen für kein Ende)
ui-program-no-end = kein Ende
ui-program-notify-at = Organisationen sofort benachrichtigen ab
ui-notify-at-never = nie: jeder Vorfall wird von einem Analysten freigegeben
ui-program-create = Programm anlegen
ui-org-name = Name der Organisation
ui-sector = Sektor
ui-country = Land
ui-country-code = Land (zweistelliger Code, z. B. DE)
ui-domains-field = Ihre E-Mail-Domains (eine pro Zeile)
ui-admin = Wer sich bewirbt (wird Administrator der Organisation)
ui-apply-contact-note = Wer sich bewirbt, ist auch der erste Sicherheitskontakt. Eine Adresse auf einer der obigen Domains ist erforderlich.
ui-apply-submit = Bewerbung absenden
ui-applied-title = Bewerbung eingegangen
ui-applied-text = Vielen Dank. Der Betreiber prüft die Bewerbung von { $org }. Nach der Freigabe erhält der Administrator eine Einladung per E-Mail; verifizieren Sie danach Ihre Domains.

ui-setup = Einrichtung
ui-step-approved = Bewerbung freigegeben
ui-step-domain = Mindestens eine Domain verifiziert
ui-step-contacts = Sicherheitskontakte benannt
ui-step-webhook = Ein Webhook hinzugefügt (optional)
ui-step-invite = Personal eingeladen
ui-approve-org = Freigeben
ui-reject-org = Ablehnen
ui-suspend-org = Sperren
ui-reinstate-org = Wieder aufnehmen
ui-org-status-pending = wartet auf Freigabe
ui-org-status-active = aktiv
ui-org-status-suspended = gesperrt
ui-org-status-left = ausgetreten
ui-domains = Domains
ui-domains-intro = forewarn überwacht nur E-Mails verifizierter Domains. Veröffentlichen Sie den angezeigten TXT-Eintrag und klicken Sie auf „Jetzt prüfen“ – oder lassen Sie einen Bestätigungslink an den Postmaster der Domain schicken.
ui-domain = Domain
ui-dns-record = Zu veröffentlichender DNS-Eintrag
ui-record-type = Typ
ui-record-name = Name
ui-record-value = Wert
ui-check-now = Jetzt prüfen
ui-mail-postmaster = Postmaster anschreiben
ui-add-domain = Domain hinzufügen
ui-domain-status-pending = noch nicht verifiziert
ui-domain-status-verified = verifiziert
ui-domain-status-lapsed = nicht mehr verifiziert: Post dafür wird abgelehnt, bis die Domain erneut verifiziert ist
ui-domain-verified = { $domain } ist verifiziert.
ui-postmaster-sent = Ein Bestätigungslink wurde an postmaster@{ $domain } geschickt.
ui-contacts = Sicherheitskontakte
ui-contacts-intro = Wer Warnungen erhält, in welcher Sprache und über welchen Kanal.
ui-contact-n = Kontakt { $n }
ui-channel = Kanal
ui-channel-email = E-Mail
ui-channel-webhook = Webhook
ui-save-contacts = Kontakte speichern
ui-webhooks = Webhooks
ui-webhooks-intro = Warnungen können auch signiert an Ihre eigenen Systeme gesendet werden (ein Ticketsystem oder einen Chat).
ui-endpoint-status-enabled = aktiv
ui-endpoint-status-disabled = deaktiviert
ui-webhook-secret-intro = Der Endpunkt wurde hinzugefügt. Sein Signaturschlüssel wird nur jetzt angezeigt; bewahren Sie ihn dort auf, wo Ihr Empfänger ihn lesen kann:
ui-webhook-secret-note = Jeder Webhook wird mit diesem Schlüssel signiert (Standard Webhooks). Sie können ihn später ersetzen.
ui-test-title = Testbenachrichtigung
ui-test-intro = Senden Sie eine Testwarnung per E-Mail an jeden Kontakt und an jeden aktiven Webhook, um zu prüfen, ob sie ankommt.
ui-test-send = Testbenachrichtigung senden
ui-test-nobody = Es gibt niemanden, an den ein Test gehen kann: Fügen Sie zuerst einen Kontakt mit dem E-Mail-Kanal oder einen Webhook hinzu.
ui-recipient = Empfänger
ui-result = Ergebnis
ui-delivered = zugestellt
ui-not-delivered = nicht zugestellt

ui-members = Mitglieder
ui-invite-title = Personal einladen
ui-invite-intro = Die Person erhält per E-Mail einen Link, um ein Passwort zu wählen. Ihre Adresse muss auf einer Ihrer verifizierten Domains liegen.
ui-invite = Einladung senden
ui-role-operator = Betreiber
ui-role-analyst = Analyst
ui-role-org-admin = Administrator
ui-role-member = Mitglied
ui-user-status-invited = eingeladen
ui-user-status-active = aktiv
ui-user-status-left = ausgetreten
ui-accounts = Konten
ui-account = Konto
ui-accounts-watched = Überwachte Konten
ui-accounts-privacy = Private Postfächer gehören ihren Inhabern: Ihre Adressen werden hier nicht angezeigt.
ui-account-personal = privat
ui-account-enterprise = dienstlich
ui-account-status-pending = wartet auf Bestätigung
ui-account-status-confirmed = überwacht
ui-account-status-revoked = widerrufen
ui-personal-account = ein privates Konto
ui-revoke = Überwachung beenden
ui-withdraw = Widerrufen
ui-accounts-intro = Die Postfächer, die forewarn auf Ihren Wunsch für { $org } überwacht.
ui-accounts-none = Sie haben noch kein Postfach angemeldet.
ui-consented = Einwilligung erteilt
ui-opt-in-title = Ein Postfach anmelden
ui-consent-title = Worin Sie einwilligen (Bedingungen { $version })
ui-consent-1 = forewarn prüft die E-Mails, die in diesem Postfach ankommen, auf Angriffe und benachrichtigt das Sicherheitsteam von { $org } und Sie, wenn es einen findet.
ui-consent-2 = forewarn speichert, was nötig ist, um einen Angriff zu erkennen (Absender, Betreffzeilen, Links und Fingerabdrücke von Anhängen), nicht den Text Ihrer Nachrichten. Ihre private Adresse wird Ihrer Organisation nicht angezeigt.
ui-consent-3 = Sie können jederzeit auf dieser Seite widerrufen; die Adresse wird dann gelöscht.
ui-consent-accept = Ich habe dies gelesen und bin einverstanden.
ui-mailbox = Adresse des Postfachs
ui-opt-in = Anmelden
ui-opt-in-pending = Fast geschafft: Wir haben einen Bestätigungslink an dieses Postfach geschickt. Nichts wird überwacht, bevor Sie ihm folgen.
ui-opt-in-done = Das Postfach wird ab jetzt überwacht.

ui-incidents-title = Vorfälle
ui-incidents-intro = Angriffe, die forewarn gegen { $org } gesehen hat, die neuesten zuerst.
ui-incidents-none = Bisher kein Vorfall.
ui-incident = Vorfall
ui-messages = Nachrichten
ui-messages-count = { $count ->
        [one] eine Nachricht
       *[other] { $count } Nachrichten
    }
ui-status-new = neu
ui-status-notified = benachrichtigt
ui-status-acknowledged = bestätigt
ui-status-resolved = erledigt
ui-status-false-positive = Fehlalarm
ui-mark-acknowledged = Bestätigen
ui-mark-resolved = Als erledigt markieren
ui-mark-false-positive = Kein Angriff (Fehlalarm)
ui-card-seen = Was wir gesehen haben
ui-card-why = Warum es wichtig ist
ui-card-steps = Was jetzt zu tun ist
ui-sender = Absender
ui-subject = Betreff
ui-links = Links (nicht öffnen)
ui-attachments = Anhänge
ui-accounts-targeted = Angegriffene Konten
ui-first-seen = Zuerst gesehen
ui-last-seen = Zuletzt gesehen
ui-actor = Wer wahrscheinlich dahintersteckt
ui-actor-unknown = noch nicht bekannt
ui-confidence = Wie sicher wir sind
ui-techniques = ATT&CK-Techniken
ui-findings = Was forewarn gefunden hat
ui-more-guidance = Mehr Ratschläge
ui-export = Mit anderen Werkzeugen teilen (TLP:AMBER+STRICT, ohne eine Organisation zu nennen):
ui-export-stix = STIX-2.1-Bundle
ui-export-misp = MISP-Ereignis
ui-severity = Schweregrad

ui-triage-title = Sichtung
ui-triage-intro = Vorfälle, über die noch niemand informiert wurde, die ältesten zuerst. Geben Sie frei, um die Organisation jetzt zu benachrichtigen, korrigieren Sie den Vorfall oder verwerfen Sie ihn.
ui-triage-empty = Nichts wartet auf Prüfung.
ui-organization = Organisation
ui-approve = Freigeben und benachrichtigen
ui-dismiss = Verwerfen
ui-evidence = Belege
ui-received = Empfangen
ui-verdict = Urteil
ui-verdict-clean = unbedenklich
ui-verdict-suspicious = verdächtig
ui-verdict-malicious = bösartig
ui-detector = Detektor
ui-finding = Befund
ui-where = Wo
ui-points = Punkte
ui-edit-title = Vor der Benachrichtigung korrigieren
ui-title = Titel
ui-analyst-note = Hinweis für die Organisation
ui-notifications = Benachrichtigungen
ui-attempts = Versuche
ui-delivery-pending = wartet
ui-delivery-failed = fehlgeschlagen, wird wiederholt
ui-delivery-sent = gesendet
ui-delivery-abandoned = aufgegeben

ui-dashboard-title = Übersicht
ui-stat-active-orgs = aktive Organisationen
ui-stat-pending = wartende Bewerbungen
ui-stat-accounts = überwachte Konten
ui-stat-open-incidents = offene Vorfälle
ui-stat-waiting = Vorfälle warten auf Prüfung
ui-pending-title = Wartende Bewerbungen
ui-pending-none = Keine Bewerbung wartet.
ui-applied = Beworben
ui-chart-notifications = Gesendete Benachrichtigungen pro Tag (letzte 30 Tage)
ui-chart-by-program = Organisationen nach Programm
ui-chart-by-sector = Organisationen nach Sektor
ui-chart-by-country = Organisationen nach Land
ui-chart-accounts = Überwachte Konten nach Art
ui-chart-by-actor = Vorfälle nach Akteur
ui-chart-by-kind = Vorfälle nach Art
ui-dead-letters-intro = Nachrichten, die nicht analysiert werden konnten, mit dem Grund. Versuchen Sie eine erneut, nachdem die Ursache behoben ist.
ui-dead-letters-none = Hier wartet keine Nachricht.
ui-reason = Grund
ui-size = Größe (Bytes)
ui-retry = Erneut versuchen

ui-guidance-intro = Konkrete Schritte gegen die Angriffe, vor denen forewarn warnt, und Gewohnheiten, an denen sie scheitern.
ui-guidance-playbooks = Wenn Sie angegriffen werden
ui-guidance-advice = Sicher bleiben
ui-guidance-playbook-intro = Gehen Sie diese Schritte der Reihe nach durch. Wenn Sie Hilfe brauchen, antworten Sie auf die erhaltene Warnung.

ui-nav-intel = Lagebild
ui-aliases = Auch bekannt als
ui-indicators = Indikatoren
ui-named-with = Genannt zusammen mit
ui-more-not-shown = { $count } weitere werden nicht angezeigt.
ui-search-indicators = Indikatoren durchsuchen
ui-search = Suchen
ui-intel-none = In diesem Prozess ist keine Bedrohungsaufklärung geladen. Tragen Sie Feed-Dateien oder -Ordner unter ingest.intel in der Konfiguration ein.
ui-cross-campaigns = Kampagnen über mehrere Mitgliedsorganisationen
ui-cross-campaigns-none = Keine Kampagne hat mehr als eine Mitgliedsorganisation erreicht.
ui-orgs-reached = Erreichte Organisationen
ui-warned = Gewarnte Organisationen
ui-program-early-warning = Frühwarnung über Organisationen hinweg
ui-program-warn-enabled = Vorfälle seiner Organisationen mit denen anderer verknüpfen und sie vor kommenden Kampagnen warnen
ui-program-warn-k = Anzahl betroffener Organisationen nennen ab (k)
ui-program-warn-window = Vorfälle verknüpfen innerhalb von (Stunden)
ui-program-warn-scope = Die Organisationen warnen
ui-warn-scope-sector = desselben Sektors
ui-warn-scope-country = desselben Landes
ui-warn-scope-program = desselben Programms
ui-managed-feeds = Verwaltete Feeds
ui-feeds-intro = Vom Betreiber hinzugefügte Feeds: TAXII-2.1-Sammlungen, Dokumente unter einer URL (STIX-Bundles, MISP-Ereignisse, CSV und Listen) und MISP-Feed-Verzeichnisse. Jeder wird nach seinem Zeitplan gelesen; einer, dessen Abruf fehlschlägt, behält seine Indikatoren und nennt den Grund.
ui-feeds-none = Hier wird noch kein Feed verwaltet. Die in der Konfiguration genannten Intel-Dateien werden trotzdem gelesen.
ui-feed-last-read = Zuletzt gelesen
ui-feed-error = Letzter Abruf fehlgeschlagen
ui-feed-paused = Pausiert
ui-feed-active = Aktiv
ui-feed-pause = Pausieren
ui-feed-resume = Fortsetzen
ui-feed-new = Feed hinzufügen
ui-feed-location = URL (eine TAXII-Sammlung, ein Dokument oder ein MISP-Feed-Verzeichnis)
ui-feed-every = Lesen alle (Minuten)
ui-feed-credentials-note = Zugangsdaten, falls der Server sie verlangt: Benutzer und Passwort oder ein Token. Sie werden verschlüsselt gespeichert und nie wieder angezeigt.
ui-feed-user = Benutzer
ui-feed-token = Token
ui-feeds = Feeds und ihr letzter Import
ui-feed = Feed
ui-format = Format
ui-rejected = Abgelehnt
ui-last-import = Letzter Import
ui-actors = Akteure
ui-campaigns = Kampagnen
ui-malware-tools = Schadsoftware und Werkzeuge
ui-value = Wert
ui-valid-until = Gültig bis
ui-attributed-to = Zugeordnet zu
ui-search-hint = Geben Sie einen Teil einer Domain, Adresse, URL oder eines Hashes ein, oder den Namen eines Akteurs.

ui-link-unknown = Dieser Link ist unbekannt, schon benutzt oder abgelaufen. Bitten Sie um einen neuen.
ui-join-title = forewarn beitreten
ui-join-intro = Sie wurden zu forewarn eingeladen, dem Dienst, der Organisationen vor gezielten E-Mail-Angriffen warnt. Wählen Sie ein Passwort, um beizutreten.
ui-join-intro-org = Sie wurden zu forewarn eingeladen, dem Dienst, der { $org } vor gezielten E-Mail-Angriffen warnt. Wählen Sie ein Passwort, um beizutreten.
ui-join-password = Wählen Sie ein Passwort (mindestens 12 Zeichen)
ui-join = Beitreten
ui-joined-title = Willkommen
ui-joined-text = Sie sind beigetreten. Melden Sie sich mit Ihrer Adresse und dem gewählten Passwort an.
ui-confirm-title = Bestätigen
ui-confirm-account-intro = Bestätigen Sie, dass forewarn dieses Postfach für { $org } auf Angriffe überwachen darf.
ui-confirm-domain = Bestätigen Sie, dass { $org } diese E-Mail-Domain nutzt, damit forewarn die dort ankommenden E-Mails überwachen kann.
ui-confirm = Bestätigen
ui-confirmed-title = Bestätigt
ui-confirmed-account = Vielen Dank. forewarn überwacht dieses Postfach jetzt auf Angriffe; Sie können jederzeit auf Ihrer Kontenseite widerrufen.
ui-confirmed-domain = Vielen Dank. Die Domain ist verifiziert.

mail-invitation-subject = Einladung zu forewarn für { $org }
mail-invitation-body =
    Sie wurden zu forewarn eingeladen, dem Dienst, der { $org } vor gezielten E-Mail-Angriffen warnt.

    Um beizutreten, wählen Sie hier ein Passwort (der Link funktioniert einmal, { $hours } Stunden lang):

    { $link }

    Wenn Sie diese Nachricht nicht erwartet haben, ignorieren Sie sie.
mail-invitation-staff-subject = Einladung zu forewarn
mail-invitation-staff-body =
    Sie wurden in das Team dieser forewarn-Instanz eingeladen, des Dienstes, der Organisationen vor gezielten E-Mail-Angriffen warnt.

    Um beizutreten, wählen Sie hier ein Passwort (der Link funktioniert einmal, { $hours } Stunden lang):

    { $link }

    Wenn Sie diese Nachricht nicht erwartet haben, ignorieren Sie sie.
mail-account-subject = Bestätigen Sie, dass forewarn dieses Postfach überwachen darf
mail-account-body =
    Jemand bei { $org } hat forewarn gebeten, dieses Postfach auf Angriffe zu überwachen.

    Wenn Sie das waren und einverstanden sind, bestätigen Sie hier (der Link funktioniert einmal, { $hours } Stunden lang):

    { $link }

    Nichts wird überwacht, bevor Sie bestätigen, und Sie können jederzeit widerrufen; dann wird diese Adresse gelöscht.
    Wenn Sie es nicht waren, ignorieren Sie diese Nachricht.
mail-password-changed-subject = Ihr forewarn-Passwort wurde geändert
mail-password-changed-body =
    Das Passwort Ihres forewarn-Kontos wurde am { $time } geändert, und alle Ihre Sitzungen und API-Tokens wurden beendet.

    Wenn Sie es waren, ist nichts zu tun.
    Wenn nicht, kennt jemand anderes Ihr Passwort: Benachrichtigen Sie sofort den Betreiber dieser forewarn-Instanz.
mail-domain-lapsed-subject = { $domain } ist bei forewarn nicht mehr verifiziert
mail-domain-lapsed-body =
    forewarn prüft von Zeit zu Zeit, ob Ihre Organisation { $domain } noch kontrolliert, und konnte es diesmal nicht bestätigen: Der TXT-Eintrag, mit dem die Domain verifiziert wurde, ist verschwunden, oder der Postmaster ist dem Link zur erneuten Bestätigung nicht gefolgt.

    Bis die Domain erneut verifiziert ist, wird an forewarn journalisierte Post für Adressen unter { $domain } abgelehnt und nicht analysiert.

    Um sie erneut zu verifizieren, veröffentlichen Sie den TXT-Eintrag von der Seite Ihrer Organisation oder fordern Sie dort einen Link für den Postmaster an:

    { $link }

mail-domain-subject = Bestätigen Sie, dass { $org } diese Domain nutzt
mail-domain-body =
    { $org } hat forewarn gebeten zu prüfen, dass diese E-Mail-Domain ihr gehört.

    Wenn das stimmt, bestätigen Sie hier (der Link funktioniert einmal, { $hours } Stunden lang):

    { $link }

    Wenn nicht, ignorieren Sie diese Nachricht.

warning-subject = [forewarn] Frühwarnung: { $campaign } erreicht Organisationen wie Ihre
warning-intro = Eine Kampagne, die in den letzten { $hours } Stunden { $reach } erreicht hat, kann als Nächstes Sie treffen. forewarn hat sie in Ihrer Post noch nicht gesehen.
warning-reach-count = { $count } Mitgliedsorganisationen
warning-reach-some = andere Mitgliedsorganisationen
warning-block-title = Sperren Sie dies jetzt (am Mail-Gateway, Web-Proxy oder im DNS)
warning-steps-title = Falls sie Ihre Leute erreicht
warning-footer = Diese Warnung kommt von { $operator } über forewarn. Sie nennt keine betroffene Organisation.
