# forewarn notifications and playbooks, English (the reference catalog: every other language
# has the same message ids).

severity-critical = critical
severity-high = high
severity-medium = medium
severity-low = low

kind-credential-phishing = credential phishing
kind-malicious-document = malicious document
kind-lookalike-domain = lookalike domain
kind-account-compromise = possible account compromise

notification-subject = [forewarn] { $severity } alert for { $org }: { $kind }
notification-greeting = Hello { $org } security team,
notification-what-title = What happened
notification-what = On { $time }, { $count ->
        [one] one account
       *[other] { $count } accounts
    } at { $org } received a message from { $sender } with the subject "{ $subject }".
notification-links = Links in it (do not open them): { $links }
notification-who-title = Who is likely behind it
notification-who-known = It matches { $actor } (also known as { $aliases }). We are { $confidence } sure of this.
notification-who-unknown = We do not know who is behind it yet. It looks like a targeted attack, not ordinary spam.
notification-steps-title = What to do now
notification-acknowledge = Tell us you have seen this: { $link }
notification-footer = This alert comes from { $operator } through forewarn. Reply to this message if you need help.
notification-owner-greeting = Hello, you opted your mailbox { $address } in to forewarn through { $org }. A message that reached it is part of an attack, and the steps below are for you.
notification-analyst-note = A note from the analysts: { $note }

playbook-credential-phishing-1 = Reset the password of every account that received the message, and of any account whose owner clicked the link or typed a password.
playbook-credential-phishing-2 = Sign those accounts out everywhere (revoke sessions and app passwords).
playbook-credential-phishing-3 = Check the accounts for new forwarding rules, inbox rules and delegated access, and remove any you did not set up.
playbook-credential-phishing-4 = Turn on multi-factor authentication, preferably passkeys or security keys, for these accounts.
playbook-credential-phishing-5 = Block the sender's domain and the links' domains at your mail gateway.

playbook-malicious-document-1 = Do not open the attachment. Delete the message from every mailbox that received it.
playbook-malicious-document-2 = If someone opened it, disconnect that computer from the network and have it checked before it is used again.
playbook-malicious-document-3 = Block the attachment's hash and the sender's domain at your mail gateway and antivirus.
playbook-malicious-document-4 = Reset the passwords of anyone who used the affected computer.

playbook-lookalike-domain-1 = Block the lookalike domain at your mail gateway and web filter.
playbook-lookalike-domain-2 = Warn your staff: messages from this domain are not from you or your partners.
playbook-lookalike-domain-3 = Ask us for a takedown report for the domain's registrar and host.

playbook-account-compromise-1 = Reset the account's password at once and sign it out everywhere.
playbook-account-compromise-2 = Look for messages the account sent that its owner did not write, and warn their recipients.
playbook-account-compromise-3 = Remove forwarding rules, inbox rules and connected apps you do not recognize.
playbook-account-compromise-4 = Turn on multi-factor authentication, preferably passkeys or security keys.

test-notification-subject = [forewarn] Test notification for { $org }
test-notification-body = This is a test from forewarn. Alerts about attacks on { $org } will reach this address. Nothing needs to be done.

advice-mfa-passkeys-title = Multi-factor sign-in and passkeys
advice-mfa-passkeys-1 = A stolen password is enough to take over an account that only asks for a password. A second factor stops most of these takeovers.
advice-mfa-passkeys-2 = Passkeys and security keys are the strongest choice: they only work on the real site, so a phishing page cannot capture them.
advice-mfa-passkeys-3 = An authenticator app is the next best choice. Codes by SMS are better than nothing, but attackers can intercept them.
advice-mfa-passkeys-4 = Start with the accounts attackers want most: e-mail, administrators, finance and anyone who handles patient or case data.
advice-recognizing-phishing-title = Recognizing phishing
advice-recognizing-phishing-1 = Look at the sender's address, not only the name shown. Attackers use names of health authorities, ministries, suppliers or your own IT team.
advice-recognizing-phishing-2 = Be wary of urgency: an account about to be closed, a payment due today, test results to download now.
advice-recognizing-phishing-3 = Before clicking, check where a link really goes. Domains that look almost right (an extra letter, a different ending) are a common trick.
advice-recognizing-phishing-4 = Never type your password on a page you reached from a link in a message. Open the site yourself instead.
advice-recognizing-phishing-5 = Attachments that ask you to enable macros or content, or archives with a password, are a warning sign.
advice-reporting-mail-title = Reporting suspicious mail
advice-reporting-mail-1 = If a message seems wrong, do not reply, click or open anything in it.
advice-reporting-mail-2 = Forward it as an attachment to your organization's reporting address, or tell your IT contact, so it can be checked and others warned.
advice-reporting-mail-3 = If you already clicked or typed a password, say so at once: changing the password quickly limits the harm. Nobody is blamed for reporting.

ui-skip = Skip to content
ui-nav-label = Main
ui-nav-dashboard = Dashboard
ui-nav-triage = Triage
ui-nav-dead-letters = Dead letters
ui-nav-organizations = Organizations
ui-nav-organization = Organization
ui-nav-incidents = Incidents
ui-nav-people = People
ui-nav-accounts = My accounts
ui-nav-guidance = Guidance
ui-language = Language
ui-sign-in = Sign in
ui-sign-out = Sign out
ui-email = E-mail address
ui-password = Password
ui-login-apply = Not a member yet?
ui-apply-link = Apply for your organization
ui-login-failed = The address or the password is wrong.
ui-change-password = Change your password
ui-current-password = Current password
ui-new-password = New password
ui-new-password-hint = At least 12 characters: a phrase of several unrelated words is best. Passwords leaked in breaches, common words with digits and your own name or address are refused.
ui-password-change-due = Choose your own password before anything else: the one-time password you signed in with only lets you do that.
ui-password-changed = Your password is changed and every session of yours has ended. Sign in with the new password.
ui-program-second-factor = Its organizations' admins and members must sign in with a second factor too
ui-security = Sign-in security
ui-second-factor = Confirm it is you
ui-second-factor-intro = Your password was right. Now use your passkey, a code from your authenticator app or a recovery code.
ui-use-passkey = Use a passkey
ui-passkey-failed = The passkey was not used. Try again, or use another way.
ui-totp-code = Code from your authenticator app
ui-verify = Verify
ui-recovery-code = Recovery code
ui-use-recovery-code = Lost your second factor? Use a recovery code
ui-second-factor-refused = That was not accepted: it is wrong, or it was used already.
ui-second-factor-required = Your role or your program requires a second factor. Add a passkey or an authenticator app before anything else.
ui-second-factors = Your second factors
ui-no-second-factors = You have no second factor yet.
ui-factor-passkey = Passkey
ui-factor-totp = Authenticator app
ui-added-at = Added
ui-last-used = Last used
ui-never = never
ui-remove = Remove
ui-add-passkey = Add a passkey
ui-factor-label-hint = A name you will recognise, such as "office key" or "phone".
ui-add-totp = Add an authenticator app
ui-totp-setup = Enter this key in your authenticator app, or open the link on the phone that holds the app; then type the code the app shows.
ui-totp-key = Key
ui-totp-link = Link for the app
ui-recovery-codes = Recovery codes
ui-recovery-codes-left = Unused recovery codes: { $count }
ui-new-recovery-codes = Make new recovery codes
ui-recovery-codes-shown-once = Keep these codes somewhere safe, away from this computer: each one signs you in once if you lose your second factors. They are shown only now, and any earlier codes no longer work.
ui-back = Back
ui-back-home = Back to the start page
ui-done = done
ui-to-do = to do
ui-add = Add
ui-save = Save
ui-name = Name
ui-description = Description
ui-status = Status
ui-kind = Kind
ui-role = Role
ui-decision = Action
ui-older = Older incidents
ui-next-page = Next page

ui-error-not-found = Not found
ui-error-forbidden = Your role does not allow this
ui-error-csrf = This form has expired; reload the page and try again
ui-error-sign-in = Please sign in
ui-error-too-many = Too many attempts; wait a minute and try again
ui-error-not-done = Not done
ui-error-upstream = A service forewarn relies on did not answer
ui-error-internal = Something went wrong; try again later

ui-apply-title = Apply to forewarn
ui-apply-intro = forewarn warns organizations at risk about mail attacks aimed at them. Choose the program that fits your organization and tell us about it; the operator reviews every application.
ui-apply-no-programs = No program is open for applications at the moment.
ui-programs = Programs
ui-program = Program
ui-sectors = Sectors
ui-countries = Countries
ui-ends-on = Ends on
ui-programs-intro = A program says which organizations may apply (sectors, countries) and until when. Its notification threshold applies at once to each of its organizations that has not set its own.
ui-programs-none = No program yet: create the first one below, then organizations can apply.
ui-program-new = New program
ui-program-name = Name
ui-program-sectors-field = Sectors (separated by commas, e.g. healthcare, ngo)
ui-program-countries-field = Countries (two-letter codes separated by commas, e.g. FR, KE)
ui-program-ends-on-hint = (leave empty for no end)
ui-program-no-end = no end
ui-program-notify-at = Tell organizations at once from
ui-notify-at-never = never: an analyst approves every incident
ui-program-create = Create the program
ui-org-name = Organization name
ui-sector = Sector
ui-country = Country
ui-country-code = Country (two-letter code, e.g. FR)
ui-domains-field = Your mail domains (one per line)
ui-admin = Who applies (becomes the organization's administrator)
ui-apply-contact-note = The person who applies is also the first security contact. An address on one of the domains above is required.
ui-apply-submit = Send the application
ui-applied-title = Application received
ui-applied-text = Thank you. The operator will review the application of { $org }. Once it is approved, the administrator receives an invitation by e-mail; then verify your domains.

ui-setup = Setting up
ui-step-approved = Application approved
ui-step-domain = At least one domain verified
ui-step-contacts = Security contacts named
ui-step-webhook = A webhook added (optional)
ui-step-invite = Staff invited
ui-approve-org = Approve
ui-reject-org = Turn down
ui-suspend-org = Suspend
ui-reinstate-org = Reinstate
ui-org-status-pending = waiting for approval
ui-org-status-active = active
ui-org-status-suspended = suspended
ui-org-status-left = left
ui-domains = Domains
ui-domains-intro = forewarn watches mail only for verified domains. Publish the TXT record shown, then press "Check now"; or have a confirmation link mailed to the domain's postmaster.
ui-domain = Domain
ui-dns-record = DNS record to publish
ui-record-type = Type
ui-record-name = Name
ui-record-value = Value
ui-check-now = Check now
ui-mail-postmaster = Mail the postmaster
ui-add-domain = Add a domain
ui-domain-status-pending = not verified yet
ui-domain-status-verified = verified
ui-domain-status-lapsed = no longer verified: mail on it is refused until it is verified again
ui-domain-verified = { $domain } is verified.
ui-postmaster-sent = A confirmation link was sent to postmaster@{ $domain }.
ui-contacts = Security contacts
ui-contacts-intro = Who receives alerts, in which language and over which channel.
ui-contact-n = Contact { $n }
ui-channel = Channel
ui-channel-email = E-mail
ui-channel-webhook = Webhook
ui-save-contacts = Save the contacts
ui-webhooks = Webhooks
ui-webhooks-intro = Alerts can also be posted, signed, to your own systems (a ticketing system or a chat).
ui-endpoint-status-enabled = enabled
ui-endpoint-status-disabled = disabled
ui-webhook-secret-intro = The endpoint was added. Its signing secret is shown only now; store it where your receiver can read it:
ui-webhook-secret-note = Every webhook is signed with this secret (Standard Webhooks). You can replace the secret later.
ui-test-title = Test notification
ui-test-intro = Send a test alert to every contact by e-mail and to every enabled webhook, to check that they arrive.
ui-test-send = Send a test notification
ui-test-nobody = There is nobody to send a test to: add a contact with the e-mail channel or a webhook first.
ui-recipient = Recipient
ui-result = Result
ui-delivered = delivered
ui-not-delivered = not delivered

ui-members = Members
ui-invite-title = Invite staff
ui-invite-intro = The person receives a link by e-mail to choose a password. Their address must be on one of your verified domains.
ui-invite = Send the invitation
ui-role-operator = operator
ui-role-analyst = analyst
ui-role-org-admin = administrator
ui-role-member = member
ui-user-status-invited = invited
ui-user-status-active = active
ui-user-status-left = left
ui-accounts = Accounts
ui-account = Account
ui-accounts-watched = Watched accounts
ui-accounts-privacy = Personal mailboxes belong to their owners: their addresses are not shown here.
ui-account-personal = personal
ui-account-enterprise = work
ui-account-status-pending = waiting for confirmation
ui-account-status-confirmed = watched
ui-account-status-revoked = withdrawn
ui-personal-account = a personal account
ui-revoke = Stop watching
ui-withdraw = Withdraw
ui-accounts-intro = The mailboxes you asked forewarn to watch for { $org }.
ui-accounts-none = You have not opted any mailbox in yet.
ui-consented = Consent given
ui-opt-in-title = Opt a mailbox in
ui-consent-title = What you agree to (terms { $version })
ui-consent-1 = forewarn checks the mail that reaches this mailbox for attacks and tells { $org }'s security team and you when one is found.
ui-consent-2 = forewarn keeps what it needs to recognize an attack (senders, subjects, links and attachment fingerprints), not the text of your messages. Your personal address is not shown to your organization.
ui-consent-3 = You can withdraw at any time on this page; the address is then erased.
ui-consent-accept = I have read this and agree.
ui-mailbox = Mailbox address
ui-opt-in = Opt in
ui-opt-in-pending = Almost done: we sent a confirmation link to that mailbox. Nothing is watched until you follow it.
ui-opt-in-done = The mailbox is watched from now on.

ui-incidents-title = Incidents
ui-incidents-intro = Attacks forewarn saw against { $org }, newest first.
ui-incidents-none = No incident so far.
ui-incident = Incident
ui-messages = Messages
ui-messages-count = { $count ->
        [one] one message
       *[other] { $count } messages
    }
ui-status-new = new
ui-status-notified = notified
ui-status-acknowledged = acknowledged
ui-status-resolved = resolved
ui-status-false-positive = false positive
ui-mark-acknowledged = Acknowledge
ui-mark-resolved = Mark resolved
ui-mark-false-positive = Not an attack (false positive)
ui-card-seen = What we saw
ui-card-why = Why it matters
ui-card-steps = What to do now
ui-sender = Sender
ui-subject = Subject
ui-links = Links (do not open them)
ui-attachments = Attachments
ui-accounts-targeted = Accounts targeted
ui-first-seen = First seen
ui-last-seen = Last seen
ui-actor = Who is likely behind it
ui-actor-unknown = not known yet
ui-confidence = How sure we are
ui-techniques = ATT&CK techniques
ui-findings = What forewarn found
ui-more-guidance = More guidance
ui-export = Share with other tools (TLP:AMBER+STRICT, no organization named):
ui-export-stix = STIX 2.1 bundle
ui-export-misp = MISP event
ui-severity = Severity

ui-triage-title = Triage
ui-triage-intro = Incidents nobody has been told about yet, oldest first. Approve to notify the organization now, correct the incident, or dismiss it.
ui-triage-empty = Nothing is waiting for review.
ui-organization = Organization
ui-approve = Approve and notify
ui-dismiss = Dismiss
ui-evidence = Evidence
ui-received = Received
ui-verdict = Verdict
ui-verdict-clean = clean
ui-verdict-suspicious = suspicious
ui-verdict-malicious = malicious
ui-detector = Detector
ui-finding = Finding
ui-where = Where
ui-points = Points
ui-edit-title = Correct before notifying
ui-title = Title
ui-analyst-note = Note for the organization
ui-notifications = Notifications
ui-attempts = Attempts
ui-delivery-pending = waiting
ui-delivery-failed = failed, will retry
ui-delivery-sent = sent
ui-delivery-abandoned = abandoned

ui-dashboard-title = Dashboard
ui-stat-active-orgs = active organizations
ui-stat-pending = applications waiting
ui-stat-accounts = accounts watched
ui-stat-open-incidents = open incidents
ui-stat-waiting = incidents waiting for review
ui-pending-title = Applications waiting
ui-pending-none = No application is waiting.
ui-applied = Applied
ui-chart-notifications = Notifications sent per day (last 30 days)
ui-chart-by-program = Organizations by program
ui-chart-by-sector = Organizations by sector
ui-chart-by-country = Organizations by country
ui-chart-accounts = Accounts watched by kind
ui-chart-by-actor = Incidents by actor
ui-chart-by-kind = Incidents by kind
ui-dead-letters-intro = Messages that could not be analysed, with the reason. Retry one after fixing the cause.
ui-dead-letters-none = No message is waiting here.
ui-reason = Reason
ui-size = Size (bytes)
ui-retry = Retry

ui-guidance-intro = Practical steps for the attacks forewarn warns about, and habits that make them fail.
ui-guidance-playbooks = When you are attacked
ui-guidance-advice = Staying safe
ui-guidance-playbook-intro = Take these steps in order. If you need help, reply to the alert you received.

ui-nav-intel = Intel
ui-aliases = Also known as
ui-indicators = Indicators
ui-named-with = Named together with
ui-more-not-shown = { $count } more are not shown.
ui-search-indicators = Search the indicators
ui-search = Search
ui-intel-none = No threat intel is loaded in this process. List feed files or folders under ingest.intel in the configuration.
ui-cross-campaigns = Campaigns across member organizations
ui-cross-campaigns-none = No campaign has reached more than one member organization.
ui-orgs-reached = Organizations reached
ui-warned = Organizations warned
ui-program-early-warning = Early warning across organizations
ui-program-warn-enabled = Link its organizations' incidents to others' and warn them of campaigns on their way
ui-program-warn-k = Tell how many organizations were hit from (k)
ui-program-warn-window = Link incidents within (hours)
ui-program-warn-scope = Warn the organizations of
ui-warn-scope-sector = the same sector
ui-warn-scope-country = the same country
ui-warn-scope-program = the same program
ui-managed-feeds = Managed feeds
ui-feeds-intro = Feeds the operator added: TAXII 2.1 collections, documents at a URL (STIX bundles, MISP events, CSV and lists) and MISP feed directories. Each is read on its schedule; one whose reads fail keeps its indicators and says why.
ui-feeds-none = No feed is managed here yet. The intel files named in the configuration are read all the same.
ui-feed-last-read = Last read
ui-feed-error = Last read failed
ui-feed-paused = Paused
ui-feed-active = Active
ui-feed-pause = Pause
ui-feed-resume = Resume
ui-feed-new = Add a feed
ui-feed-location = URL (a TAXII collection, a document or a MISP feed directory)
ui-feed-every = Read every (minutes)
ui-feed-credentials-note = Credentials, if the server asks for them: a user and password, or a token. They are stored sealed and never shown again.
ui-feed-user = User
ui-feed-token = Token
ui-feeds = Feeds and their last import
ui-feed = Feed
ui-format = Format
ui-rejected = Rejected
ui-last-import = Last import
ui-actors = Actors
ui-campaigns = Campaigns
ui-malware-tools = Malware and tools
ui-value = Value
ui-valid-until = Valid until
ui-attributed-to = Attributed to
ui-search-hint = Type part of a domain, address, URL or hash, or an actor's name.

ui-link-unknown = This link does not work: it was already used, has expired or never existed. Ask for a new one.
ui-join-title = Join forewarn
ui-join-intro = You were invited to forewarn, the service that warns organizations about mail attacks aimed at them. Choose a password to join.
ui-join-intro-org = You were invited to forewarn, the service that warns { $org } about mail attacks aimed at it. Choose a password to join.
ui-join-password = Choose a password (at least 12 characters)
ui-join = Join
ui-joined-title = Welcome
ui-joined-text = You have joined. Sign in with your address and the password you chose.
ui-confirm-title = Confirm
ui-confirm-account-intro = Confirm that forewarn may watch this mailbox for attacks, as part of { $org }.
ui-confirm-domain = Confirm that { $org } uses this mail domain, so that forewarn may watch the mail that reaches it.
ui-confirm = Confirm
ui-confirmed-title = Confirmed
ui-confirmed-account = Thank you. forewarn now watches this mailbox for attacks; you can withdraw at any time on your accounts page.
ui-confirmed-domain = Thank you. The domain is verified.

mail-invitation-subject = You are invited to forewarn for { $org }
mail-invitation-body =
    You have been invited to forewarn, the service that warns { $org } about mail attacks aimed at it.

    To join, choose a password here (the link works once, for { $hours } hours):

    { $link }

    If you did not expect this, ignore this message.
mail-invitation-staff-subject = You are invited to forewarn
mail-invitation-staff-body =
    You have been invited to join the staff of this forewarn instance, the service that warns organizations about mail attacks aimed at them.

    To join, choose a password here (the link works once, for { $hours } hours):

    { $link }

    If you did not expect this, ignore this message.
mail-account-subject = Confirm that forewarn may watch this mailbox
mail-account-body =
    Someone at { $org } asked forewarn to watch this mailbox for attacks.

    If it was you and you agree, confirm here (the link works once, for { $hours } hours):

    { $link }

    Nothing is watched until you confirm, and you can withdraw at any time; then this address is erased.
    If it was not you, ignore this message.
mail-password-changed-subject = Your forewarn password was changed
mail-password-changed-body =
    The password of your forewarn account was changed on { $time }, and every session and API token of yours has ended.

    If it was you, there is nothing to do.
    If it was not, someone else knows your password: tell the operator of this forewarn instance at once.
mail-domain-lapsed-subject = { $domain } is no longer verified with forewarn
mail-domain-lapsed-body =
    forewarn checks now and then that your organization still controls { $domain }, and could not confirm it this time: the TXT record it was verified by is gone, or the postmaster did not follow the link mailed to confirm it again.

    Until it is verified again, mail journaled to forewarn for addresses at { $domain } is refused and not analysed.

    To verify it again, publish the TXT record shown on your organization's page, or ask for a postmaster link there:

    { $link }

mail-domain-subject = Confirm that { $org } uses this domain
mail-domain-body =
    { $org } asked forewarn to verify that this mail domain is theirs.

    If that is right, confirm here (the link works once, for { $hours } hours):

    { $link }

    If it is not, ignore this message.

warning-subject = [forewarn] Early warning: { $campaign } is reaching organizations like yours
warning-intro = A campaign that reached { $reach } in the last { $hours } hours may come to you next. forewarn has not seen it in your mail yet.
warning-reach-count = { $count } member organizations
warning-reach-some = other member organizations
warning-block-title = Block these now (at your mail gateway, web proxy or DNS)
warning-steps-title = If it reaches your people
warning-footer = This warning comes from { $operator } through forewarn. It names no organization that was hit.
