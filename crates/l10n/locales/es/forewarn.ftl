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
