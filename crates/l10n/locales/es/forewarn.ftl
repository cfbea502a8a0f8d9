# forewarn: notificaciones y guías, español.

severity-critical = crítica
severity-high = alta
severity-medium = media
severity-low = baja

kind-credential-phishing = robo de credenciales
kind-malicious-document = documento malicioso
kind-lookalike-domain = dominio imitador
kind-account-compromise = posible cuenta comprometida

notification-subject = [forewarn] Alerta { $severity } para { $org }: { $kind }
notification-greeting = Hola, equipo de seguridad de { $org }:
notification-what-title = Qué ha pasado
notification-what = El { $time }, { $count ->
        [one] una cuenta
       *[other] { $count } cuentas
    } de { $org } recibieron un mensaje de { $sender } con el asunto «{ $subject }».
notification-links = Enlaces que contiene (no los abra): { $links }
notification-who-title = Quién está probablemente detrás
notification-who-known = Coincide con { $actor } (también conocido como { $aliases }). Nuestro grado de certeza: { $confidence }.
notification-who-unknown = Todavía no sabemos quién está detrás. Parece un ataque dirigido, no spam corriente.
notification-steps-title = Qué hacer ahora
notification-acknowledge = Confírmenos que lo han visto: { $link }
notification-footer = Esta alerta la envía { $operator } a través de forewarn. Responda a este mensaje si necesita ayuda.
notification-owner-greeting = Hola: usted inscribió su buzón { $address } en forewarn a través de { $org }. Un mensaje que llegó a él forma parte de un ataque, y los pasos siguientes son para usted.
notification-analyst-note = Nota de los analistas: { $note }

playbook-credential-phishing-1 = Cambie la contraseña de todas las cuentas que recibieron el mensaje y de cualquier cuenta cuyo titular hizo clic en el enlace o escribió una contraseña.
playbook-credential-phishing-2 = Cierre todas las sesiones de esas cuentas (revoque sesiones y contraseñas de aplicación).
playbook-credential-phishing-3 = Revise si las cuentas tienen reglas de reenvío, reglas de bandeja o accesos delegados nuevos y elimine los que no hayan creado ustedes.
playbook-credential-phishing-4 = Active la autenticación multifactor en esas cuentas, preferiblemente con llaves de acceso (passkeys) o llaves de seguridad.
playbook-credential-phishing-5 = Bloquee el dominio del remitente y los dominios de los enlaces en su pasarela de correo.

playbook-malicious-document-1 = No abra el adjunto. Borre el mensaje de todos los buzones que lo recibieron.
playbook-malicious-document-2 = Si alguien lo abrió, desconecte ese equipo de la red y hágalo revisar antes de volver a usarlo.
playbook-malicious-document-3 = Bloquee el hash del adjunto y el dominio del remitente en su pasarela de correo y su antivirus.
playbook-malicious-document-4 = Cambie las contraseñas de quienes usaron el equipo afectado.

playbook-lookalike-domain-1 = Bloquee el dominio imitador en su pasarela de correo y su filtro web.
playbook-lookalike-domain-2 = Avise a su personal: los mensajes de este dominio no vienen de ustedes ni de sus socios.
playbook-lookalike-domain-3 = Pídanos un informe de retirada para el registrador y el proveedor de alojamiento del dominio.

playbook-account-compromise-1 = Cambie ya la contraseña de la cuenta y cierre todas sus sesiones.
playbook-account-compromise-2 = Busque mensajes enviados desde la cuenta que su titular no escribió y avise a sus destinatarios.
playbook-account-compromise-3 = Elimine las reglas de reenvío, las reglas de bandeja y las aplicaciones conectadas que no reconozca.
playbook-account-compromise-4 = Active la autenticación multifactor, preferiblemente con llaves de acceso (passkeys) o llaves de seguridad.

test-notification-subject = [forewarn] Notificación de prueba para { $org }
test-notification-body = Esta es una prueba de forewarn. Las alertas sobre ataques contra { $org } llegarán a esta dirección. No hace falta hacer nada.

advice-mfa-passkeys-title = Inicio de sesión multifactor y llaves de acceso
advice-mfa-passkeys-1 = Una contraseña robada basta para tomar una cuenta que solo pide contraseña. Un segundo factor detiene la mayoría de estas tomas.
advice-mfa-passkeys-2 = Las llaves de acceso (passkeys) y las llaves de seguridad son la opción más fuerte: solo funcionan en el sitio real, así que una página de phishing no puede capturarlas.
advice-mfa-passkeys-3 = Una aplicación de autenticación es la siguiente mejor opción. Los códigos por SMS son mejor que nada, pero los atacantes pueden interceptarlos.
advice-mfa-passkeys-4 = Empiece por las cuentas que más buscan los atacantes: correo, administradores, finanzas y quien maneje datos de pacientes o de casos.
advice-recognizing-phishing-title = Reconocer el phishing
advice-recognizing-phishing-1 = Mire la dirección del remitente, no solo el nombre mostrado. Los atacantes usan nombres de autoridades sanitarias, ministerios, proveedores o de su propio equipo de informática.
advice-recognizing-phishing-2 = Desconfíe de la urgencia: una cuenta a punto de cerrarse, un pago que vence hoy, resultados de pruebas para descargar ya.
advice-recognizing-phishing-3 = Antes de hacer clic, compruebe adónde lleva realmente un enlace. Los dominios casi correctos (una letra de más, otra terminación) son un truco frecuente.
advice-recognizing-phishing-4 = Nunca escriba su contraseña en una página a la que llegó desde un enlace de un mensaje. Abra usted mismo el sitio.
advice-recognizing-phishing-5 = Los adjuntos que piden habilitar macros o contenido, o los archivos comprimidos con contraseña, son una señal de alarma.
advice-reporting-mail-title = Informar de correos sospechosos
advice-reporting-mail-1 = Si un mensaje le parece extraño, no responda, no haga clic ni abra nada de él.
advice-reporting-mail-2 = Reenvíelo como adjunto a la dirección de avisos de su organización, o avise a su contacto de informática, para que se revise y se alerte a los demás.
advice-reporting-mail-3 = Si ya hizo clic o escribió una contraseña, dígalo enseguida: cambiar la contraseña rápido limita el daño. Nadie recibe culpas por avisar.

ui-skip = Ir al contenido
ui-nav-label = Principal
ui-nav-dashboard = Panel
ui-nav-triage = Triaje
ui-nav-dead-letters = Mensajes fallidos
ui-nav-organizations = Organizaciones
ui-nav-organization = Organización
ui-nav-incidents = Incidentes
ui-nav-people = Personas
ui-nav-accounts = Mis cuentas
ui-nav-guidance = Guías
ui-language = Idioma
ui-sign-in = Iniciar sesión
ui-sign-out = Cerrar sesión
ui-email = Dirección de correo
ui-password = Contraseña
ui-login-apply = ¿Aún no es miembro?
ui-apply-link = Solicite el alta de su organización
ui-login-failed = La dirección o la contraseña no son correctas.
ui-change-password = Cambiar la contraseña
ui-current-password = Contraseña actual
ui-new-password = Contraseña nueva
ui-new-password-hint = Al menos 12 caracteres: lo mejor es una frase de varias palabras sin relación entre sí. Se rechazan las contraseñas filtradas en brechas, las palabras comunes con cifras y su propio nombre o dirección.
ui-password-change-due = Elija primero su propia contraseña: la contraseña de un solo uso con la que ha iniciado sesión solo permite eso.
ui-password-changed = Su contraseña ha cambiado y todas sus sesiones se han cerrado. Inicie sesión con la contraseña nueva.
ui-program-second-factor = Los administradores y miembros de sus organizaciones también deben iniciar sesión con un segundo factor
ui-security = Seguridad del inicio de sesión
ui-second-factor = Confirme que es usted
ui-second-factor-intro = Su contraseña es correcta. Use ahora su llave de acceso, un código de su aplicación de autenticación o un código de recuperación.
ui-use-passkey = Usar una llave de acceso
ui-passkey-failed = No se usó la llave de acceso. Inténtelo de nuevo o use otro medio.
ui-totp-code = Código de su aplicación de autenticación
ui-verify = Verificar
ui-recovery-code = Código de recuperación
ui-use-recovery-code = ¿Perdió su segundo factor? Use un código de recuperación
ui-second-factor-refused = No se aceptó: es incorrecto o ya se usó.
ui-second-factor-required = Su rol o su programa exige un segundo factor. Añada una llave de acceso o una aplicación de autenticación antes que nada.
ui-second-factors = Sus segundos factores
ui-no-second-factors = Aún no tiene ningún segundo factor.
ui-factor-passkey = Llave de acceso
ui-factor-totp = Aplicación de autenticación
ui-added-at = Añadido
ui-last-used = Último uso
ui-never = nunca
ui-remove = Quitar
ui-add-passkey = Añadir una llave de acceso
ui-factor-label-hint = Un nombre que reconozca, como «llave de la oficina» o «teléfono».
ui-add-totp = Añadir una aplicación de autenticación
ui-totp-setup = Introduzca esta clave en su aplicación de autenticación, o abra el enlace en el teléfono que tiene la aplicación; luego escriba el código que muestra.
ui-totp-key = Clave
ui-totp-link = Enlace para la aplicación
ui-recovery-codes = Códigos de recuperación
ui-recovery-codes-left = Códigos de recuperación sin usar: { $count }
ui-new-recovery-codes = Crear nuevos códigos de recuperación
ui-recovery-codes-shown-once = Guarde estos códigos en un lugar seguro, lejos de este ordenador: cada uno le permite iniciar sesión una vez si pierde sus segundos factores. Solo se muestran ahora, y los códigos anteriores dejan de funcionar.
ui-back = Volver
ui-back-home = Volver a la página de inicio
ui-done = hecho
ui-to-do = pendiente
ui-add = Añadir
ui-save = Guardar
ui-name = Nombre
ui-description = Descripción
ui-status = Estado
ui-kind = Tipo
ui-role = Rol
ui-decision = Acción
ui-older = Incidentes anteriores
ui-next-page = Página siguiente

ui-error-not-found = No encontrado
ui-error-forbidden = Su rol no permite esto
ui-error-csrf = Este formulario ha caducado; recargue la página y vuelva a intentarlo
ui-error-sign-in = Inicie sesión
ui-error-too-many = Demasiados intentos; espere un minuto y vuelva a intentarlo
ui-error-not-done = No se ha hecho
ui-error-upstream = Un servicio del que depende forewarn no respondió
ui-error-internal = Algo salió mal; inténtelo más tarde

ui-apply-title = Solicitar el alta en forewarn
ui-apply-intro = forewarn avisa a las organizaciones en riesgo de los ataques por correo dirigidos contra ellas. Elija el programa que corresponde a su organización y preséntela; el operador revisa cada solicitud.
ui-apply-no-programs = Ahora mismo no hay ningún programa abierto a solicitudes.
ui-programs = Programas
ui-program = Programa
ui-sectors = Sectores
ui-countries = Países
ui-ends-on = Termina el
ui-programs-intro = Un programa indica qué organizaciones pueden solicitar (sectores, países) y hasta cuándo. Su umbral de aviso se aplica de inmediato a cada una de sus organizaciones que no haya fijado el suyo.
ui-programs-none = Aún no hay ningún programa: cree el primero abajo y las organizaciones podrán solicitar.
ui-program-new = Nuevo programa
ui-program-name = Nombre
ui-program-sectors-field = Sectores (separados por comas, p. ej. healthcare, ngo)
ui-program-countries-field = Países (códigos de dos letras separados por comas, p. ej. ES, KE)
ui-program-ends-on-hint = (déjelo vacío si no termina)
ui-program-no-end = sin fin
ui-program-notify-at = Avisar de inmediato a las organizaciones desde
ui-notify-at-never = nunca: un analista aprueba cada incidente
ui-program-create = Crear el programa
ui-org-name = Nombre de la organización
ui-sector = Sector
ui-country = País
ui-country-code = País (código de dos letras, p. ej. ES)
ui-domains-field = Sus dominios de correo (uno por línea)
ui-admin = Quién solicita (será el administrador de la organización)
ui-apply-contact-note = La persona que solicita es también el primer contacto de seguridad. Se requiere una dirección en uno de los dominios indicados.
ui-apply-submit = Enviar la solicitud
ui-applied-title = Solicitud recibida
ui-applied-text = Gracias. El operador revisará la solicitud de { $org }. Una vez aprobada, el administrador recibirá una invitación por correo; después verifique sus dominios.

ui-setup = Puesta en marcha
ui-step-approved = Solicitud aprobada
ui-step-domain = Al menos un dominio verificado
ui-step-contacts = Contactos de seguridad designados
ui-step-webhook = Un webhook añadido (opcional)
ui-step-invite = Personal invitado
ui-approve-org = Aprobar
ui-reject-org = Rechazar
ui-suspend-org = Suspender
ui-reinstate-org = Restablecer
ui-org-status-pending = pendiente de aprobación
ui-org-status-active = activa
ui-org-status-suspended = suspendida
ui-org-status-left = de baja
ui-domains = Dominios
ui-domains-intro = forewarn solo vigila el correo de dominios verificados. Publique el registro TXT indicado y pulse «Comprobar ahora», o pida que se envíe un enlace de confirmación al postmaster del dominio.
ui-domain = Dominio
ui-dns-record = Registro DNS que publicar
ui-record-type = Tipo
ui-record-name = Nombre
ui-record-value = Valor
ui-check-now = Comprobar ahora
ui-mail-postmaster = Escribir al postmaster
ui-add-domain = Añadir un dominio
ui-domain-status-pending = aún sin verificar
ui-domain-status-verified = verificado
ui-domain-status-lapsed = ya no verificado: su correo se rechaza hasta que se verifique de nuevo
ui-domain-verified = { $domain } está verificado.
ui-postmaster-sent = Se envió un enlace de confirmación a postmaster@{ $domain }.
ui-contacts = Contactos de seguridad
ui-contacts-intro = Quién recibe las alertas, en qué idioma y por qué canal.
ui-contact-n = Contacto { $n }
ui-channel = Canal
ui-channel-email = Correo
ui-channel-webhook = Webhook
ui-save-contacts = Guardar los contactos
ui-webhooks = Webhooks
ui-webhooks-intro = Las alertas también pueden enviarse, firmadas, a sus propios sistemas (un sistema de tickets o un chat).
ui-endpoint-status-enabled = activo
ui-endpoint-status-disabled = desactivado
ui-webhook-secret-intro = Se añadió el destino. Su secreto de firma solo se muestra ahora; guárdelo donde su receptor pueda leerlo:
ui-webhook-secret-note = Cada webhook se firma con este secreto (Standard Webhooks). Puede reemplazarlo más adelante.
ui-test-title = Notificación de prueba
ui-test-intro = Envíe una alerta de prueba a cada contacto por correo y a cada webhook activo, para comprobar que llegan.
ui-test-send = Enviar una notificación de prueba
ui-test-nobody = No hay a quién enviar una prueba: añada antes un contacto con el canal de correo o un webhook.
ui-recipient = Destinatario
ui-result = Resultado
ui-delivered = entregada
ui-not-delivered = no entregada

ui-members = Miembros
ui-invite-title = Invitar al personal
ui-invite-intro = La persona recibe por correo un enlace para elegir una contraseña. Su dirección debe estar en uno de sus dominios verificados.
ui-invite = Enviar la invitación
ui-role-operator = operador
ui-role-analyst = analista
ui-role-org-admin = administrador
ui-role-member = miembro
ui-user-status-invited = invitado
ui-user-status-active = activo
ui-user-status-left = de baja
ui-accounts = Cuentas
ui-account = Cuenta
ui-accounts-watched = Cuentas vigiladas
ui-accounts-privacy = Los buzones personales pertenecen a sus dueños: sus direcciones no se muestran aquí.
ui-account-personal = personal
ui-account-enterprise = de trabajo
ui-account-status-pending = pendiente de confirmación
ui-account-status-confirmed = vigilada
ui-account-status-revoked = retirada
ui-personal-account = una cuenta personal
ui-revoke = Dejar de vigilar
ui-withdraw = Retirar
ui-accounts-intro = Los buzones que pidió a forewarn vigilar para { $org }.
ui-accounts-none = Aún no ha inscrito ningún buzón.
ui-consented = Consentimiento dado
ui-opt-in-title = Inscribir un buzón
ui-consent-title = Lo que acepta (condiciones { $version })
ui-consent-1 = forewarn revisa el correo que llega a este buzón en busca de ataques y, cuando encuentra uno, avisa al equipo de seguridad de { $org } y a usted.
ui-consent-2 = forewarn guarda lo que necesita para reconocer un ataque (remitentes, asuntos, enlaces y huellas de adjuntos), no el texto de sus mensajes. Su dirección personal no se muestra a su organización.
ui-consent-3 = Puede retirarse en cualquier momento desde esta página; la dirección se borra entonces.
ui-consent-accept = Lo he leído y estoy de acuerdo.
ui-mailbox = Dirección del buzón
ui-opt-in = Inscribir
ui-opt-in-pending = Casi listo: enviamos un enlace de confirmación a ese buzón. Nada se vigila hasta que lo siga.
ui-opt-in-done = El buzón queda vigilado desde ahora.

ui-incidents-title = Incidentes
ui-incidents-intro = Ataques que forewarn vio contra { $org }, del más reciente al más antiguo.
ui-incidents-none = Ningún incidente por ahora.
ui-incident = Incidente
ui-messages = Mensajes
ui-messages-count = { $count ->
        [one] un mensaje
       *[other] { $count } mensajes
    }
ui-status-new = nuevo
ui-status-notified = notificado
ui-status-acknowledged = recibido
ui-status-resolved = resuelto
ui-status-false-positive = falso positivo
ui-mark-acknowledged = Confirmar recepción
ui-mark-resolved = Marcar como resuelto
ui-mark-false-positive = No es un ataque (falso positivo)
ui-card-seen = Lo que vimos
ui-card-why = Por qué importa
ui-card-steps = Qué hacer ahora
ui-sender = Remitente
ui-subject = Asunto
ui-links = Enlaces (no los abra)
ui-attachments = Adjuntos
ui-accounts-targeted = Cuentas atacadas
ui-first-seen = Visto por primera vez
ui-last-seen = Visto por última vez
ui-actor = Quién está probablemente detrás
ui-actor-unknown = aún no se sabe
ui-confidence = Grado de certeza
ui-techniques = Técnicas ATT&CK
ui-findings = Lo que encontró forewarn
ui-more-guidance = Más orientación
ui-export = Compartir con otras herramientas (TLP:AMBER+STRICT, sin nombrar ninguna organización):
ui-export-stix = paquete STIX 2.1
ui-export-misp = evento MISP
ui-severity = Gravedad

ui-triage-title = Triaje
ui-triage-intro = Incidentes que aún no se han comunicado, del más antiguo al más reciente. Apruebe para notificar ya a la organización, corrija el incidente o descártelo.
ui-triage-empty = No hay nada pendiente de revisión.
ui-organization = Organización
ui-approve = Aprobar y notificar
ui-dismiss = Descartar
ui-evidence = Pruebas
ui-received = Recibido
ui-verdict = Veredicto
ui-verdict-clean = limpio
ui-verdict-suspicious = sospechoso
ui-verdict-malicious = malicioso
ui-detector = Detector
ui-finding = Hallazgo
ui-where = Dónde
ui-points = Puntos
ui-edit-title = Corregir antes de notificar
ui-title = Título
ui-analyst-note = Nota para la organización
ui-notifications = Notificaciones
ui-attempts = Intentos
ui-delivery-pending = en espera
ui-delivery-failed = falló, se reintentará
ui-delivery-sent = enviada
ui-delivery-abandoned = abandonada

ui-dashboard-title = Panel
ui-stat-active-orgs = organizaciones activas
ui-stat-pending = solicitudes en espera
ui-stat-accounts = cuentas vigiladas
ui-stat-open-incidents = incidentes abiertos
ui-stat-waiting = incidentes pendientes de revisión
ui-pending-title = Solicitudes en espera
ui-pending-none = No hay solicitudes en espera.
ui-applied = Solicitada
ui-chart-notifications = Notificaciones enviadas por día (últimos 30 días)
ui-chart-by-program = Organizaciones por programa
ui-chart-by-sector = Organizaciones por sector
ui-chart-by-country = Organizaciones por país
ui-chart-accounts = Cuentas vigiladas por tipo
ui-chart-by-actor = Incidentes por actor
ui-chart-by-kind = Incidentes por tipo
ui-dead-letters-intro = Mensajes que no se pudieron analizar, con el motivo. Reintente uno tras corregir la causa.
ui-dead-letters-none = No hay mensajes aquí.
ui-reason = Motivo
ui-size = Tamaño (bytes)
ui-retry = Reintentar

ui-guidance-intro = Pasos prácticos ante los ataques de los que avisa forewarn, y hábitos que los hacen fracasar.
ui-guidance-playbooks = Si le atacan
ui-guidance-advice = Mantenerse seguro
ui-guidance-playbook-intro = Siga estos pasos en orden. Si necesita ayuda, responda a la alerta que recibió.

ui-nav-intel = Inteligencia
ui-aliases = También conocido como
ui-indicators = Indicadores
ui-named-with = Citado junto con
ui-more-not-shown = Hay { $count } más que no se muestran.
ui-search-indicators = Buscar en los indicadores
ui-search = Buscar
ui-intel-none = Este proceso no tiene inteligencia de amenazas cargada. Indique archivos o carpetas de fuentes en ingest.intel en la configuración.
ui-cross-campaigns = Campañas en varias organizaciones miembro
ui-cross-campaigns-none = Ninguna campaña ha llegado a más de una organización miembro.
ui-orgs-reached = Organizaciones alcanzadas
ui-warned = Organizaciones avisadas
ui-program-early-warning = Alerta temprana entre organizaciones
ui-program-warn-enabled = Vincular los incidentes de sus organizaciones con los de otras y avisarles de las campañas que se acercan
ui-program-warn-k = Decir cuántas organizaciones fueron alcanzadas a partir de (k)
ui-program-warn-window = Vincular incidentes dentro de (horas)
ui-program-warn-scope = Avisar a las organizaciones
ui-warn-scope-sector = del mismo sector
ui-warn-scope-country = del mismo país
ui-warn-scope-program = del mismo programa
ui-managed-feeds = Fuentes gestionadas
ui-feeds-intro = Las fuentes que añadió el operador: colecciones TAXII 2.1, documentos en una URL (paquetes STIX, eventos MISP, CSV y listas) y directorios de fuentes MISP. Cada una se lee según su calendario; la que falla conserva sus indicadores y dice por qué.
ui-feeds-none = Aún no se gestiona ninguna fuente aquí. Los archivos de inteligencia indicados en la configuración se leen de todos modos.
ui-feed-last-read = Última lectura
ui-feed-error = La última lectura falló
ui-feed-paused = En pausa
ui-feed-active = Activa
ui-feed-pause = Pausar
ui-feed-resume = Reanudar
ui-feed-new = Añadir una fuente
ui-feed-location = URL (una colección TAXII, un documento o un directorio de fuentes MISP)
ui-feed-every = Leer cada (minutos)
ui-feed-credentials-note = Credenciales, si el servidor las pide: un usuario y una contraseña, o un token. Se guardan cifradas y no se vuelven a mostrar.
ui-feed-user = Usuario
ui-feed-token = Token
ui-feeds = Fuentes y su última importación
ui-feed = Fuente
ui-format = Formato
ui-rejected = Rechazados
ui-last-import = Última importación
ui-actors = Actores
ui-campaigns = Campañas
ui-malware-tools = Malware y herramientas
ui-value = Valor
ui-valid-until = Válido hasta
ui-attributed-to = Atribuido a
ui-search-hint = Escriba parte de un dominio, dirección, URL o hash, o el nombre de un actor.

ui-link-unknown = Este enlace es desconocido, ya se usó o caducó. Pida uno nuevo.
ui-join-title = Unirse a forewarn
ui-join-intro = Le invitaron a forewarn, el servicio que avisa a las organizaciones de los ataques por correo dirigidos contra ellas. Elija una contraseña para unirse.
ui-join-intro-org = Le invitaron a forewarn, el servicio que avisa a { $org } de los ataques por correo dirigidos contra ella. Elija una contraseña para unirse.
ui-join-password = Elija una contraseña (al menos 12 caracteres)
ui-join = Unirse
ui-joined-title = Bienvenida
ui-joined-text = Ya forma parte. Inicie sesión con su dirección y la contraseña que eligió.
ui-confirm-title = Confirmar
ui-confirm-account-intro = Confirme que forewarn puede vigilar este buzón en busca de ataques, como parte de { $org }.
ui-confirm-domain = Confirme que { $org } usa este dominio de correo, para que forewarn pueda vigilar el correo que le llega.
ui-confirm = Confirmar
ui-confirmed-title = Confirmado
ui-confirmed-account = Gracias. forewarn vigila ahora este buzón en busca de ataques; puede retirarse en cualquier momento desde su página de cuentas.
ui-confirmed-domain = Gracias. El dominio está verificado.

mail-invitation-subject = Le invitan a forewarn en nombre de { $org }
mail-invitation-body =
    Le han invitado a forewarn, el servicio que avisa a { $org } de los ataques por correo dirigidos contra ella.

    Para unirse, elija una contraseña aquí (el enlace funciona una vez, durante { $hours } horas):

    { $link }

    Si no esperaba este mensaje, ignórelo.
mail-invitation-staff-subject = Le invitan a forewarn
mail-invitation-staff-body =
    Le han invitado a formar parte del personal de esta instancia de forewarn, el servicio que avisa a las organizaciones de los ataques por correo dirigidos contra ellas.

    Para unirse, elija una contraseña aquí (el enlace funciona una vez, durante { $hours } horas):

    { $link }

    Si no esperaba este mensaje, ignórelo.
mail-account-subject = Confirme que forewarn puede vigilar este buzón
mail-account-body =
    Alguien de { $org } pidió a forewarn que vigile este buzón en busca de ataques.

    Si fue usted y está de acuerdo, confirme aquí (el enlace funciona una vez, durante { $hours } horas):

    { $link }

    Nada se vigila hasta que confirme, y puede retirarse en cualquier momento; entonces esta dirección se borra.
    Si no fue usted, ignore este mensaje.
mail-password-changed-subject = Su contraseña de forewarn ha cambiado
mail-password-changed-body =
    La contraseña de su cuenta de forewarn se cambió el { $time }, y todas sus sesiones y tokens de API han terminado.

    Si fue usted, no hay nada que hacer.
    Si no, otra persona conoce su contraseña: avise enseguida al operador de esta instancia de forewarn.
mail-domain-lapsed-subject = { $domain } ya no está verificado en forewarn
mail-domain-lapsed-body =
    forewarn comprueba de vez en cuando que su organización sigue controlando { $domain }, y esta vez no pudo confirmarlo: el registro TXT con el que se verificó ya no está, o el postmaster no siguió el enlace enviado para confirmarlo de nuevo.

    Hasta que se verifique de nuevo, el correo enviado en diario a forewarn para direcciones de { $domain } se rechaza y no se analiza.

    Para verificarlo de nuevo, publique el registro TXT que se muestra en la página de su organización, o pida allí un enlace para el postmaster:

    { $link }

mail-domain-subject = Confirme que { $org } usa este dominio
mail-domain-body =
    { $org } pidió a forewarn verificar que este dominio de correo es suyo.

    Si es así, confirme aquí (el enlace funciona una vez, durante { $hours } horas):

    { $link }

    Si no lo es, ignore este mensaje.

warning-subject = [forewarn] Alerta temprana: { $campaign } está llegando a organizaciones como la suya
warning-intro = Una campaña que llegó a { $reach } en las últimas { $hours } horas puede llegarle a usted después. forewarn aún no la ha visto en su correo.
warning-reach-count = { $count } organizaciones miembro
warning-reach-some = otras organizaciones miembro
warning-block-title = Bloquee esto ahora (en su pasarela de correo, proxy web o DNS)
warning-steps-title = Si llega a su personal
warning-footer = Esta alerta viene de { $operator } a través de forewarn. No nombra a ninguna organización afectada.
