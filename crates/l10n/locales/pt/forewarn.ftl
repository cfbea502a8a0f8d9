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

test-notification-subject = [forewarn] Notificação de teste para { $org }
test-notification-body = Este é um teste do forewarn. Os alertas sobre ataques contra { $org } chegarão a este endereço. Não é preciso fazer nada.

advice-mfa-passkeys-title = Início de sessão multifator e chaves de acesso
advice-mfa-passkeys-1 = Uma senha roubada basta para tomar uma conta que só pede senha. Um segundo fator impede a maioria dessas invasões.
advice-mfa-passkeys-2 = As chaves de acesso (passkeys) e as chaves de segurança são a opção mais forte: só funcionam no site verdadeiro, por isso uma página de phishing não as consegue capturar.
advice-mfa-passkeys-3 = Uma aplicação autenticadora é a melhor opção seguinte. Códigos por SMS são melhores do que nada, mas os atacantes podem intercetá-los.
advice-mfa-passkeys-4 = Comece pelas contas que os atacantes mais procuram: e-mail, administradores, finanças e quem lida com dados de pacientes ou de casos.
advice-recognizing-phishing-title = Reconhecer phishing
advice-recognizing-phishing-1 = Veja o endereço do remetente, não só o nome apresentado. Os atacantes usam nomes de autoridades de saúde, ministérios, fornecedores ou da sua própria equipa de informática.
advice-recognizing-phishing-2 = Desconfie da urgência: uma conta prestes a ser fechada, um pagamento que vence hoje, resultados de exames para descarregar já.
advice-recognizing-phishing-3 = Antes de clicar, verifique para onde um link leva de facto. Domínios quase certos (uma letra a mais, outra terminação) são um truque comum.
advice-recognizing-phishing-4 = Nunca escreva a sua senha numa página a que chegou por um link de uma mensagem. Abra o site você mesmo.
advice-recognizing-phishing-5 = Anexos que pedem para ativar macros ou conteúdo, ou arquivos compactados com senha, são um sinal de alarme.
advice-reporting-mail-title = Comunicar e-mails suspeitos
advice-reporting-mail-1 = Se uma mensagem parecer estranha, não responda, não clique nem abra nada nela.
advice-reporting-mail-2 = Reencaminhe-a como anexo para o endereço de denúncias da sua organização, ou avise o seu contacto de informática, para que seja verificada e os outros sejam avisados.
advice-reporting-mail-3 = Se já clicou ou escreveu uma senha, diga-o logo: mudar a senha depressa limita os danos. Ninguém é culpado por comunicar.

ui-skip = Ir para o conteúdo
ui-nav-label = Principal
ui-nav-dashboard = Painel
ui-nav-triage = Triagem
ui-nav-dead-letters = Mensagens falhadas
ui-nav-organizations = Organizações
ui-nav-organization = Organização
ui-nav-incidents = Incidentes
ui-nav-people = Pessoas
ui-nav-accounts = As minhas contas
ui-nav-guidance = Orientações
ui-language = Idioma
ui-sign-in = Entrar
ui-sign-out = Sair
ui-email = Endereço de e-mail
ui-password = Senha
ui-login-apply = Ainda não é membro?
ui-apply-link = Inscreva a sua organização
ui-login-failed = O endereço ou a senha estão errados.
ui-change-password = Alterar a senha
ui-current-password = Senha atual
ui-new-password = Nova senha
ui-new-password-hint = Pelo menos 12 caracteres: o melhor é uma frase de várias palavras sem relação entre si. São recusadas as senhas vazadas em violações de dados, palavras comuns com números e o seu próprio nome ou endereço.
ui-password-change-due = Escolha primeiro a sua própria senha: a senha de uso único com que entrou só permite isso.
ui-password-changed = A sua senha foi alterada e todas as suas sessões foram encerradas. Entre com a nova senha.
ui-program-second-factor = Os administradores e membros das suas organizações também devem entrar com um segundo fator
ui-security = Segurança de acesso
ui-second-factor = Confirme que é você
ui-second-factor-intro = A sua palavra-passe está correta. Use agora a sua chave de acesso, um código da sua aplicação de autenticação ou um código de recuperação.
ui-use-passkey = Usar uma chave de acesso
ui-passkey-failed = A chave de acesso não foi usada. Tente de novo ou use outro meio.
ui-totp-code = Código da sua aplicação de autenticação
ui-verify = Verificar
ui-recovery-code = Código de recuperação
ui-use-recovery-code = Perdeu o segundo fator? Use um código de recuperação
ui-second-factor-refused = Não foi aceite: está errado ou já foi usado.
ui-second-factor-required = A sua função ou o seu programa exige um segundo fator. Adicione uma chave de acesso ou uma aplicação de autenticação antes de mais nada.
ui-second-factors = Os seus segundos fatores
ui-no-second-factors = Ainda não tem nenhum segundo fator.
ui-factor-passkey = Chave de acesso
ui-factor-totp = Aplicação de autenticação
ui-added-at = Adicionado
ui-last-used = Último uso
ui-never = nunca
ui-remove = Remover
ui-add-passkey = Adicionar uma chave de acesso
ui-factor-label-hint = Um nome que reconheça, como «chave do escritório» ou «telemóvel».
ui-add-totp = Adicionar uma aplicação de autenticação
ui-totp-setup = Introduza esta chave na sua aplicação de autenticação, ou abra a ligação no telemóvel que tem a aplicação; depois escreva o código que ela mostra.
ui-totp-key = Chave
ui-totp-link = Ligação para a aplicação
ui-recovery-codes = Códigos de recuperação
ui-recovery-codes-left = Códigos de recuperação por usar: { $count }
ui-new-recovery-codes = Criar novos códigos de recuperação
ui-recovery-codes-shown-once = Guarde estes códigos num lugar seguro, longe deste computador: cada um permite-lhe entrar uma vez se perder os seus segundos fatores. Só são mostrados agora, e os códigos anteriores deixam de funcionar.
ui-back = Voltar
ui-back-home = Voltar à página inicial
ui-done = feito
ui-to-do = por fazer
ui-add = Adicionar
ui-save = Guardar
ui-name = Nome
ui-description = Descrição
ui-status = Estado
ui-kind = Tipo
ui-role = Função
ui-decision = Ação
ui-older = Incidentes anteriores
ui-next-page = Página seguinte

ui-error-not-found = Não encontrado
ui-error-forbidden = A sua função não permite isto
ui-error-csrf = Este formulário expirou; recarregue a página e tente de novo
ui-error-sign-in = Inicie sessão
ui-error-too-many = Demasiadas tentativas; espere um minuto e tente de novo
ui-error-not-done = Não foi feito
ui-error-upstream = Um serviço de que o forewarn depende não respondeu
ui-error-internal = Algo correu mal; tente mais tarde

ui-apply-title = Candidatar-se ao forewarn
ui-apply-intro = O forewarn avisa as organizações em risco sobre ataques por e-mail dirigidos a elas. Escolha o programa adequado à sua organização e apresente-a; o operador analisa cada candidatura.
ui-apply-no-programs = De momento nenhum programa aceita candidaturas.
ui-programs = Programas
ui-program = Programa
ui-sectors = Setores
ui-countries = Países
ui-ends-on = Termina em
ui-programs-intro = Um programa diz quais organizações podem se candidatar (setores, países) e até quando. O seu limiar de aviso vale de imediato para cada uma das suas organizações que não definiu o seu próprio.
ui-programs-none = Ainda não há programa: crie o primeiro abaixo e as organizações poderão se candidatar.
ui-program-new = Novo programa
ui-program-name = Nome
ui-program-sectors-field = Setores (separados por vírgulas, p. ex. healthcare, ngo)
ui-program-countries-field = Países (códigos de duas letras separados por vírgulas, p. ex. BR, PT)
ui-program-ends-on-hint = (deixe vazio se não terminar)
ui-program-no-end = sem fim
ui-program-notify-at = Avisar as organizações de imediato a partir de
ui-notify-at-never = nunca: um analista aprova cada incidente
ui-program-create = Criar o programa
ui-org-name = Nome da organização
ui-sector = Setor
ui-country = País
ui-country-code = País (código de duas letras, p. ex. PT)
ui-domains-field = Os seus domínios de e-mail (um por linha)
ui-admin = Quem se candidata (torna-se o administrador da organização)
ui-apply-contact-note = Quem se candidata é também o primeiro contacto de segurança. É necessário um endereço num dos domínios acima.
ui-apply-submit = Enviar a candidatura
ui-applied-title = Candidatura recebida
ui-applied-text = Obrigado. O operador vai analisar a candidatura de { $org }. Depois de aprovada, o administrador recebe um convite por e-mail; em seguida verifique os seus domínios.

ui-setup = Configuração
ui-step-approved = Candidatura aprovada
ui-step-domain = Pelo menos um domínio verificado
ui-step-contacts = Contactos de segurança indicados
ui-step-webhook = Um webhook adicionado (opcional)
ui-step-invite = Pessoal convidado
ui-approve-org = Aprovar
ui-reject-org = Recusar
ui-suspend-org = Suspender
ui-reinstate-org = Reativar
ui-org-status-pending = a aguardar aprovação
ui-org-status-active = ativa
ui-org-status-suspended = suspensa
ui-org-status-left = saiu
ui-domains = Domínios
ui-domains-intro = O forewarn só vigia o correio de domínios verificados. Publique o registo TXT indicado e carregue em «Verificar agora»; ou peça que um link de confirmação seja enviado ao postmaster do domínio.
ui-domain = Domínio
ui-dns-record = Registo DNS a publicar
ui-record-type = Tipo
ui-record-name = Nome
ui-record-value = Valor
ui-check-now = Verificar agora
ui-mail-postmaster = Escrever ao postmaster
ui-add-domain = Adicionar um domínio
ui-domain-status-pending = ainda não verificado
ui-domain-status-verified = verificado
ui-domain-status-lapsed = já não verificado: o seu correio é recusado até ser verificado de novo
ui-domain-verified = { $domain } está verificado.
ui-postmaster-sent = Foi enviado um link de confirmação para postmaster@{ $domain }.
ui-contacts = Contactos de segurança
ui-contacts-intro = Quem recebe os alertas, em que idioma e por que canal.
ui-contact-n = Contacto { $n }
ui-channel = Canal
ui-channel-email = E-mail
ui-channel-webhook = Webhook
ui-save-contacts = Guardar os contactos
ui-webhooks = Webhooks
ui-webhooks-intro = Os alertas também podem ser enviados, assinados, para os seus próprios sistemas (um sistema de pedidos ou um chat).
ui-endpoint-status-enabled = ativo
ui-endpoint-status-disabled = desativado
ui-webhook-secret-intro = O destino foi adicionado. O seu segredo de assinatura só é mostrado agora; guarde-o onde o seu recetor o possa ler:
ui-webhook-secret-note = Cada webhook é assinado com este segredo (Standard Webhooks). Pode substituí-lo mais tarde.
ui-test-title = Notificação de teste
ui-test-intro = Envie um alerta de teste a cada contacto por e-mail e a cada webhook ativo, para verificar que chega.
ui-test-send = Enviar uma notificação de teste
ui-test-nobody = Não há a quem enviar um teste: adicione primeiro um contacto com o canal de e-mail ou um webhook.
ui-recipient = Destinatário
ui-result = Resultado
ui-delivered = entregue
ui-not-delivered = não entregue

ui-members = Membros
ui-invite-title = Convidar pessoal
ui-invite-intro = A pessoa recebe por e-mail um link para escolher uma senha. O endereço tem de estar num dos seus domínios verificados.
ui-invite = Enviar o convite
ui-role-operator = operador
ui-role-analyst = analista
ui-role-org-admin = administrador
ui-role-member = membro
ui-user-status-invited = convidado
ui-user-status-active = ativo
ui-user-status-left = saiu
ui-accounts = Contas
ui-account = Conta
ui-accounts-watched = Contas vigiadas
ui-accounts-privacy = As caixas de correio pessoais pertencem aos seus titulares: os endereços não são mostrados aqui.
ui-account-personal = pessoal
ui-account-enterprise = de trabalho
ui-account-status-pending = a aguardar confirmação
ui-account-status-confirmed = vigiada
ui-account-status-revoked = retirada
ui-personal-account = uma conta pessoal
ui-revoke = Deixar de vigiar
ui-withdraw = Retirar
ui-accounts-intro = As caixas de correio que pediu ao forewarn para vigiar em nome de { $org }.
ui-accounts-none = Ainda não inscreveu nenhuma caixa de correio.
ui-consented = Consentimento dado
ui-opt-in-title = Inscrever uma caixa de correio
ui-consent-title = O que aceita (condições { $version })
ui-consent-1 = O forewarn analisa o correio que chega a esta caixa à procura de ataques e, quando encontra um, avisa a equipa de segurança de { $org } e a si.
ui-consent-2 = O forewarn guarda o que precisa para reconhecer um ataque (remetentes, assuntos, links e impressões digitais de anexos), não o texto das suas mensagens. O seu endereço pessoal não é mostrado à sua organização.
ui-consent-3 = Pode retirar-se a qualquer momento nesta página; o endereço é então apagado.
ui-consent-accept = Li isto e concordo.
ui-mailbox = Endereço da caixa de correio
ui-opt-in = Inscrever
ui-opt-in-pending = Quase pronto: enviámos um link de confirmação para essa caixa. Nada é vigiado antes de o seguir.
ui-opt-in-done = A caixa de correio passa a ser vigiada a partir de agora.

ui-incidents-title = Incidentes
ui-incidents-intro = Ataques que o forewarn viu contra { $org }, dos mais recentes para os mais antigos.
ui-incidents-none = Nenhum incidente até agora.
ui-incident = Incidente
ui-messages = Mensagens
ui-messages-count = { $count ->
        [one] uma mensagem
       *[other] { $count } mensagens
    }
ui-status-new = novo
ui-status-notified = notificado
ui-status-acknowledged = reconhecido
ui-status-resolved = resolvido
ui-status-false-positive = falso positivo
ui-mark-acknowledged = Confirmar receção
ui-mark-resolved = Marcar como resolvido
ui-mark-false-positive = Não é um ataque (falso positivo)
ui-card-seen = O que vimos
ui-card-why = Porque é importante
ui-card-steps = O que fazer agora
ui-sender = Remetente
ui-subject = Assunto
ui-links = Links (não os abra)
ui-attachments = Anexos
ui-accounts-targeted = Contas visadas
ui-first-seen = Visto pela primeira vez
ui-last-seen = Visto pela última vez
ui-actor = Quem provavelmente está por trás
ui-actor-unknown = ainda não se sabe
ui-confidence = Grau de certeza
ui-techniques = Técnicas ATT&CK
ui-findings = O que o forewarn encontrou
ui-more-guidance = Mais orientações
ui-export = Partilhar com outras ferramentas (TLP:AMBER+STRICT, sem nomear nenhuma organização):
ui-export-stix = pacote STIX 2.1
ui-export-misp = evento MISP
ui-severity = Gravidade

ui-triage-title = Triagem
ui-triage-intro = Incidentes que ainda não foram comunicados, dos mais antigos para os mais recentes. Aprove para avisar já a organização, corrija o incidente ou descarte-o.
ui-triage-empty = Nada aguarda revisão.
ui-organization = Organização
ui-approve = Aprovar e notificar
ui-dismiss = Descartar
ui-evidence = Provas
ui-received = Recebido
ui-verdict = Veredicto
ui-verdict-clean = limpo
ui-verdict-suspicious = suspeito
ui-verdict-malicious = malicioso
ui-detector = Detetor
ui-finding = Constatação
ui-where = Onde
ui-points = Pontos
ui-edit-title = Corrigir antes de notificar
ui-title = Título
ui-analyst-note = Nota para a organização
ui-notifications = Notificações
ui-attempts = Tentativas
ui-delivery-pending = em espera
ui-delivery-failed = falhou, será repetida
ui-delivery-sent = enviada
ui-delivery-abandoned = abandonada

ui-dashboard-title = Painel
ui-stat-active-orgs = organizações ativas
ui-stat-pending = candidaturas em espera
ui-stat-accounts = contas vigiadas
ui-stat-open-incidents = incidentes abertos
ui-stat-waiting = incidentes a aguardar revisão
ui-pending-title = Candidaturas em espera
ui-pending-none = Nenhuma candidatura em espera.
ui-applied = Candidatura
ui-chart-notifications = Notificações enviadas por dia (últimos 30 dias)
ui-chart-by-program = Organizações por programa
ui-chart-by-sector = Organizações por setor
ui-chart-by-country = Organizações por país
ui-chart-accounts = Contas vigiadas por tipo
ui-chart-by-actor = Incidentes por ator
ui-chart-by-kind = Incidentes por tipo
ui-dead-letters-intro = Mensagens que não foi possível analisar, com o motivo. Repita uma depois de corrigir a causa.
ui-dead-letters-none = Nenhuma mensagem aguarda aqui.
ui-reason = Motivo
ui-size = Tamanho (bytes)
ui-retry = Repetir

ui-guidance-intro = Passos práticos contra os ataques de que o forewarn avisa, e hábitos que os fazem falhar.
ui-guidance-playbooks = Se for atacado
ui-guidance-advice = Manter-se seguro
ui-guidance-playbook-intro = Siga estes passos pela ordem. Se precisar de ajuda, responda ao alerta que recebeu.

ui-nav-intel = Informações
ui-aliases = Também conhecido como
ui-indicators = Indicadores
ui-named-with = Citado junto com
ui-more-not-shown = Há mais { $count } que não são mostrados.
ui-search-indicators = Pesquisar nos indicadores
ui-search = Pesquisar
ui-intel-none = Este processo não tem informações sobre ameaças carregadas. Indique ficheiros ou pastas de fontes em ingest.intel na configuração.
ui-cross-campaigns = Campanhas em várias organizações membro
ui-cross-campaigns-none = Nenhuma campanha atingiu mais de uma organização membro.
ui-orgs-reached = Organizações atingidas
ui-warned = Organizações avisadas
ui-program-early-warning = Alerta antecipado entre organizações
ui-program-warn-enabled = Ligar os incidentes das suas organizações aos de outras e avisá-las das campanhas a caminho
ui-program-warn-k = Dizer quantas organizações foram atingidas a partir de (k)
ui-program-warn-window = Ligar incidentes num período de (horas)
ui-program-warn-scope = Avisar as organizações
ui-warn-scope-sector = do mesmo setor
ui-warn-scope-country = do mesmo país
ui-warn-scope-program = do mesmo programa
ui-managed-feeds = Fontes geridas
ui-feeds-intro = As fontes que o operador adicionou: coleções TAXII 2.1, documentos numa URL (pacotes STIX, eventos MISP, CSV e listas) e diretórios de fontes MISP. Cada uma é lida no seu horário; a que falha mantém os seus indicadores e diz porquê.
ui-feeds-none = Ainda nenhuma fonte é gerida aqui. Os ficheiros de inteligência indicados na configuração são lidos de qualquer forma.
ui-feed-last-read = Última leitura
ui-feed-error = A última leitura falhou
ui-feed-paused = Em pausa
ui-feed-active = Ativa
ui-feed-pause = Pausar
ui-feed-resume = Retomar
ui-feed-new = Adicionar uma fonte
ui-feed-location = URL (uma coleção TAXII, um documento ou um diretório de fontes MISP)
ui-feed-every = Ler a cada (minutos)
ui-feed-credentials-note = Credenciais, se o servidor as pedir: um utilizador e uma palavra-passe, ou um token. São guardadas cifradas e nunca mais mostradas.
ui-feed-user = Utilizador
ui-feed-token = Token
ui-feeds = Fontes e a sua última importação
ui-feed = Fonte
ui-format = Formato
ui-rejected = Rejeitados
ui-last-import = Última importação
ui-actors = Atores
ui-campaigns = Campanhas
ui-malware-tools = Malware e ferramentas
ui-value = Valor
ui-valid-until = Válido até
ui-attributed-to = Atribuído a
ui-search-hint = Escreva parte de um domínio, endereço, URL ou hash, ou o nome de um ator.

ui-link-unknown = Este link é desconhecido, já foi usado ou expirou. Peça um novo.
ui-join-title = Aderir ao forewarn
ui-join-intro = Foi convidado para o forewarn, o serviço que avisa as organizações sobre ataques por e-mail dirigidos a elas. Escolha uma senha para aderir.
ui-join-intro-org = Foi convidado para o forewarn, o serviço que avisa { $org } sobre ataques por e-mail dirigidos a ela. Escolha uma senha para aderir.
ui-join-password = Escolha uma senha (pelo menos 12 caracteres)
ui-join = Aderir
ui-joined-title = Bem-vindo
ui-joined-text = Já aderiu. Entre com o seu endereço e a senha que escolheu.
ui-confirm-title = Confirmar
ui-confirm-account-intro = Confirme que o forewarn pode vigiar esta caixa de correio à procura de ataques, em nome de { $org }.
ui-confirm-domain = Confirme que { $org } usa este domínio de e-mail, para que o forewarn possa vigiar o correio que lhe chega.
ui-confirm = Confirmar
ui-confirmed-title = Confirmado
ui-confirmed-account = Obrigado. O forewarn vigia agora esta caixa à procura de ataques; pode retirar-se a qualquer momento na sua página de contas.
ui-confirmed-domain = Obrigado. O domínio está verificado.

mail-invitation-subject = Convite para o forewarn em nome de { $org }
mail-invitation-body =
    Foi convidado para o forewarn, o serviço que avisa { $org } sobre ataques por e-mail dirigidos a ela.

    Para aderir, escolha uma senha aqui (o link funciona uma vez, durante { $hours } horas):

    { $link }

    Se não esperava esta mensagem, ignore-a.
mail-invitation-staff-subject = Convite para o forewarn
mail-invitation-staff-body =
    Foi convidado para a equipa desta instância do forewarn, o serviço que avisa as organizações sobre ataques por e-mail dirigidos a elas.

    Para aderir, escolha uma senha aqui (o link funciona uma vez, durante { $hours } horas):

    { $link }

    Se não esperava esta mensagem, ignore-a.
mail-account-subject = Confirme que o forewarn pode vigiar esta caixa de correio
mail-account-body =
    Alguém de { $org } pediu ao forewarn que vigie esta caixa de correio à procura de ataques.

    Se foi você e concorda, confirme aqui (o link funciona uma vez, durante { $hours } horas):

    { $link }

    Nada é vigiado antes da sua confirmação, e pode retirar-se a qualquer momento; o endereço é então apagado.
    Se não foi você, ignore esta mensagem.
mail-password-changed-subject = A sua senha do forewarn foi alterada
mail-password-changed-body =
    A senha da sua conta do forewarn foi alterada em { $time }, e todas as suas sessões e tokens de API foram encerrados.

    Se foi você, não há nada a fazer.
    Se não foi, outra pessoa conhece a sua senha: avise imediatamente o operador desta instância do forewarn.
mail-domain-lapsed-subject = { $domain } já não está verificado no forewarn
mail-domain-lapsed-body =
    O forewarn verifica de vez em quando que a sua organização ainda controla { $domain }, e desta vez não o conseguiu confirmar: o registo TXT com que foi verificado desapareceu, ou o postmaster não seguiu a ligação enviada para o confirmar de novo.

    Até ser verificado de novo, o correio enviado em diário ao forewarn para endereços em { $domain } é recusado e não é analisado.

    Para o verificar de novo, publique o registo TXT indicado na página da sua organização, ou peça aí uma ligação para o postmaster:

    { $link }

mail-domain-subject = Confirme que { $org } usa este domínio
mail-domain-body =
    { $org } pediu ao forewarn que verifique que este domínio de e-mail lhe pertence.

    Se estiver certo, confirme aqui (o link funciona uma vez, durante { $hours } horas):

    { $link }

    Se não estiver, ignore esta mensagem.

warning-subject = [forewarn] Alerta antecipado: { $campaign } está a atingir organizações como a sua
warning-intro = Uma campanha que atingiu { $reach } nas últimas { $hours } horas pode chegar a si a seguir. O forewarn ainda não a viu no seu correio.
warning-reach-count = { $count } organizações membro
warning-reach-some = outras organizações membro
warning-block-title = Bloqueie isto já (no gateway de correio, proxy web ou DNS)
warning-steps-title = Se chegar às suas pessoas
warning-footer = Este alerta vem de { $operator } através do forewarn. Não nomeia nenhuma organização atingida.
