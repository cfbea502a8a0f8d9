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
