# forewarn: notificações e guias de resposta, português.

severity-critical = crítico
severity-high = alto
severity-medium = médio
severity-low = baixo

kind-credential-phishing = roubo de credenciais
kind-malicious-document = documento malicioso
kind-lookalike-domain = domínio imitador
kind-account-compromise = possível conta comprometida

notification-subject = [forewarn] Alerta { $severity } para { $org }: { $kind }
notification-greeting = Olá, equipe de segurança de { $org },
notification-what-title = O que aconteceu
notification-what = Em { $time }, { $count ->
        [one] uma conta
       *[other] { $count } contas
    } de { $org } receberam uma mensagem de { $sender } com o assunto "{ $subject }".
notification-links = Links na mensagem (não os abra): { $links }
notification-who-title = Quem provavelmente está por trás
notification-who-known = Corresponde a { $actor } (também conhecido como { $aliases }). Nosso grau de certeza: { $confidence }.
notification-who-unknown = Ainda não sabemos quem está por trás. Parece um ataque direcionado, não spam comum.
notification-steps-title = O que fazer agora
notification-acknowledge = Confirme que viu este alerta: { $link }
notification-footer = Este alerta é enviado por { $operator } por meio do forewarn. Responda a esta mensagem se precisar de ajuda.
notification-owner-greeting = Olá, você inscreveu sua caixa de correio { $address } no forewarn por meio de { $org }. Uma mensagem que chegou a ela faz parte de um ataque, e os passos abaixo são para você.
notification-analyst-note = Uma nota dos analistas: { $note }

playbook-credential-phishing-1 = Troque a senha de todas as contas que receberam a mensagem e de qualquer conta cujo titular clicou no link ou digitou uma senha.
playbook-credential-phishing-2 = Encerre todas as sessões dessas contas (revogue sessões e senhas de aplicativo).
playbook-credential-phishing-3 = Verifique se há novas regras de encaminhamento, regras de caixa de entrada ou acessos delegados e remova os que vocês não criaram.
playbook-credential-phishing-4 = Ative a autenticação multifator nessas contas, de preferência com chaves de acesso (passkeys) ou chaves de segurança.
playbook-credential-phishing-5 = Bloqueie o domínio do remetente e os domínios dos links no seu gateway de e-mail.

playbook-malicious-document-1 = Não abra o anexo. Apague a mensagem de todas as caixas que a receberam.
playbook-malicious-document-2 = Se alguém o abriu, desconecte esse computador da rede e mande verificá-lo antes de voltar a usá-lo.
playbook-malicious-document-3 = Bloqueie o hash do anexo e o domínio do remetente no gateway de e-mail e no antivírus.
playbook-malicious-document-4 = Troque as senhas de quem usou o computador afetado.

playbook-lookalike-domain-1 = Bloqueie o domínio imitador no seu gateway de e-mail e no filtro web.
playbook-lookalike-domain-2 = Avise a equipe: mensagens deste domínio não vêm de vocês nem de seus parceiros.
playbook-lookalike-domain-3 = Peça-nos um relatório de remoção para o registrador e o provedor de hospedagem do domínio.

playbook-account-compromise-1 = Troque a senha da conta imediatamente e encerre todas as sessões.
playbook-account-compromise-2 = Procure mensagens enviadas pela conta que o titular não escreveu e avise os destinatários.
playbook-account-compromise-3 = Remova regras de encaminhamento, regras de caixa de entrada e aplicativos conectados que vocês não reconheçam.
playbook-account-compromise-4 = Ative a autenticação multifator, de preferência com chaves de acesso (passkeys) ou chaves de segurança.
