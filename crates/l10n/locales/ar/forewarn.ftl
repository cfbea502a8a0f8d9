# forewarn: الإشعارات وأدلة الاستجابة، العربية (من اليمين إلى اليسار).

severity-critical = حرج
severity-high = مرتفع
severity-medium = متوسط
severity-low = منخفض

kind-credential-phishing = تصيّد بيانات الدخول
kind-malicious-document = مستند خبيث
kind-lookalike-domain = نطاق منتحِل
kind-account-compromise = حساب يُحتمل اختراقه

notification-subject = [forewarn] تنبيه بمستوى { $severity } لـ { $org }: { $kind }
notification-greeting = مرحبًا فريق الأمن في { $org }،
notification-what-title = ماذا حدث
notification-what = في { $time }، تلقّى { $count ->
        [one] حساب واحد
        [two] حسابان
       *[other] { $count } من الحسابات
    } في { $org } رسالة من { $sender } بعنوان «{ $subject }».
notification-links = الروابط الواردة فيها (لا تفتحها): { $links }
notification-who-title = من يُرجَّح أنه وراء ذلك
notification-who-known = تتطابق مع { $actor } (المعروف أيضًا باسم { $aliases }). درجة يقيننا: { $confidence }.
notification-who-unknown = لا نعرف بعد من يقف وراءها. تبدو هجومًا موجّهًا وليست رسائل مزعجة عادية.
notification-steps-title = ما يجب فعله الآن
notification-acknowledge = أخبرنا بأنك اطّلعت على هذا: { $link }
notification-footer = يصلكم هذا التنبيه من { $operator } عبر forewarn. ردّوا على هذه الرسالة إن احتجتم إلى مساعدة.
notification-owner-greeting = مرحبًا، لقد سجّلت صندوق بريدك { $address } في forewarn عن طريق { $org }. رسالة وصلت إليه جزء من هجوم، والخطوات التالية موجّهة إليك.
notification-analyst-note = ملاحظة من المحللين: { $note }

playbook-credential-phishing-1 = غيّروا كلمة مرور كل حساب تلقّى الرسالة، وكل حساب نقر صاحبه على الرابط أو أدخل كلمة مرور.
playbook-credential-phishing-2 = سجّلوا خروج هذه الحسابات من كل مكان (ألغوا الجلسات وكلمات مرور التطبيقات).
playbook-credential-phishing-3 = افحصوا الحسابات بحثًا عن قواعد إعادة توجيه أو قواعد صندوق وارد أو صلاحيات مفوّضة جديدة، واحذفوا ما لم تُنشئوه بأنفسكم.
playbook-credential-phishing-4 = فعّلوا المصادقة متعددة العوامل لهذه الحسابات، ويُفضَّل مفاتيح المرور أو مفاتيح الأمان.
playbook-credential-phishing-5 = احجبوا نطاق المرسِل ونطاقات الروابط في بوابة البريد لديكم.

playbook-malicious-document-1 = لا تفتحوا المرفق. احذفوا الرسالة من كل صندوق بريد تلقّاها.
playbook-malicious-document-2 = إن فتحه أحد، افصلوا ذلك الحاسوب عن الشبكة وافحصوه قبل استخدامه مجددًا.
playbook-malicious-document-3 = احجبوا بصمة المرفق ونطاق المرسِل في بوابة البريد وبرنامج مكافحة الفيروسات.
playbook-malicious-document-4 = غيّروا كلمات مرور كل من استخدم الحاسوب المتأثر.

playbook-lookalike-domain-1 = احجبوا النطاق المنتحِل في بوابة البريد ومرشّح الويب.
playbook-lookalike-domain-2 = نبّهوا موظفيكم: الرسائل من هذا النطاق لا تأتي منكم ولا من شركائكم.
playbook-lookalike-domain-3 = اطلبوا منا تقرير إزالة لمسجّل النطاق ومزوّد الاستضافة.

playbook-account-compromise-1 = غيّروا كلمة مرور الحساب فورًا وسجّلوا خروجه من كل مكان.
playbook-account-compromise-2 = ابحثوا عن رسائل أُرسلت من الحساب ولم يكتبها صاحبه، ونبّهوا متلقّيها.
playbook-account-compromise-3 = احذفوا قواعد إعادة التوجيه وقواعد صندوق الوارد والتطبيقات المتصلة التي لا تعرفونها.
playbook-account-compromise-4 = فعّلوا المصادقة متعددة العوامل، ويُفضَّل مفاتيح المرور أو مفاتيح الأمان.

test-notification-subject = [forewarn] إشعار تجريبي لـ { $org }
test-notification-body = هذه رسالة تجريبية من forewarn. ستصل التنبيهات عن الهجمات على { $org } إلى هذا العنوان. لا حاجة لفعل أي شيء.

advice-mfa-passkeys-title = تسجيل الدخول متعدد العوامل ومفاتيح المرور
advice-mfa-passkeys-1 = تكفي كلمة مرور مسروقة للاستيلاء على حساب لا يطلب سوى كلمة مرور. العامل الثاني يوقف معظم عمليات الاستيلاء هذه.
advice-mfa-passkeys-2 = مفاتيح المرور ومفاتيح الأمان هي الخيار الأقوى: فهي لا تعمل إلا على الموقع الحقيقي، فلا تستطيع صفحة تصيّد التقاطها.
advice-mfa-passkeys-3 = تطبيق المصادقة هو الخيار التالي في القوة. الرموز عبر الرسائل القصيرة أفضل من لا شيء، لكن يمكن للمهاجمين اعتراضها.
advice-mfa-passkeys-4 = ابدأ بالحسابات التي يسعى إليها المهاجمون أكثر من غيرها: البريد، والمسؤولون، والمالية، وكل من يتعامل مع بيانات المرضى أو الحالات.
advice-recognizing-phishing-title = التعرّف على التصيّد
advice-recognizing-phishing-1 = انظر إلى عنوان المرسل، لا إلى الاسم المعروض فقط. يستخدم المهاجمون أسماء السلطات الصحية والوزارات والمورّدين أو فريق تقنية المعلومات لديك.
advice-recognizing-phishing-2 = احذر من الاستعجال: حساب على وشك الإغلاق، أو دفعة مستحقة اليوم، أو نتائج فحوص يجب تنزيلها فورًا.
advice-recognizing-phishing-3 = قبل النقر، تحقّق من وجهة الرابط الحقيقية. النطاقات الشبيهة جدًا بالصحيحة (حرف زائد أو امتداد مختلف) حيلة شائعة.
advice-recognizing-phishing-4 = لا تكتب كلمة مرورك أبدًا في صفحة وصلت إليها عبر رابط في رسالة. افتح الموقع بنفسك.
advice-recognizing-phishing-5 = المرفقات التي تطلب تفعيل وحدات الماكرو أو المحتوى، والملفات المضغوطة المحمية بكلمة مرور، علامة تحذير.
advice-reporting-mail-title = الإبلاغ عن البريد المريب
advice-reporting-mail-1 = إذا بدت لك رسالة غريبة، فلا ترد عليها ولا تنقر على أي شيء فيها ولا تفتحه.
advice-reporting-mail-2 = أعد توجيهها كمرفق إلى عنوان الإبلاغ في مؤسستك، أو أخبر مسؤول تقنية المعلومات لديك، ليتم فحصها وتحذير الآخرين.
advice-reporting-mail-3 = إذا كنت قد نقرت أو كتبت كلمة مرور، فقل ذلك فورًا: تغيير كلمة المرور بسرعة يحدّ من الضرر. لا أحد يُلام على الإبلاغ.

ui-skip = انتقل إلى المحتوى
ui-nav-label = القائمة الرئيسية
ui-nav-dashboard = لوحة المتابعة
ui-nav-triage = الفرز
ui-nav-dead-letters = الرسائل المتعذّرة
ui-nav-organizations = المؤسسات
ui-nav-organization = المؤسسة
ui-nav-incidents = الحوادث
ui-nav-people = الأشخاص
ui-nav-accounts = حساباتي
ui-nav-guidance = الإرشادات
ui-language = اللغة
ui-sign-in = تسجيل الدخول
ui-sign-out = تسجيل الخروج
ui-email = عنوان البريد الإلكتروني
ui-password = كلمة المرور
ui-login-apply = لست عضوًا بعد؟
ui-apply-link = قدّم طلبًا لمؤسستك
ui-login-failed = العنوان أو كلمة المرور غير صحيحة.
ui-change-password = تغيير كلمة المرور
ui-current-password = كلمة المرور الحالية
ui-new-password = كلمة المرور الجديدة
ui-new-password-hint = 12 حرفًا على الأقل: الأفضل عبارة من عدة كلمات لا علاقة بينها. تُرفض كلمات المرور المسرّبة في الاختراقات، والكلمات الشائعة المتبوعة بأرقام، واسمك أو عنوانك.
ui-password-change-due = اختر كلمة مرورك الخاصة أولًا: كلمة المرور لمرة واحدة التي دخلت بها لا تسمح إلا بذلك.
ui-password-changed = تم تغيير كلمة مرورك وانتهت جميع جلساتك. سجّل الدخول بكلمة المرور الجديدة.
ui-program-second-factor = يجب على مسؤولي منظماته وأعضائها أيضًا تسجيل الدخول بعامل ثانٍ
ui-security = أمان تسجيل الدخول
ui-second-factor = أكّد أنك أنت
ui-second-factor-intro = كلمة المرور صحيحة. استخدم الآن مفتاح المرور أو رمزًا من تطبيق المصادقة أو رمز استرداد.
ui-use-passkey = استخدام مفتاح مرور
ui-passkey-failed = لم يُستخدم مفتاح المرور. حاول مرة أخرى أو استخدم طريقة أخرى.
ui-totp-code = رمز من تطبيق المصادقة
ui-verify = تحقّق
ui-recovery-code = رمز الاسترداد
ui-use-recovery-code = فقدت العامل الثاني؟ استخدم رمز استرداد
ui-second-factor-refused = لم يُقبل: إنه خاطئ أو استُخدم من قبل.
ui-second-factor-required = يتطلب دورك أو برنامجك عاملًا ثانيًا. أضف مفتاح مرور أو تطبيق مصادقة قبل أي شيء آخر.
ui-second-factors = عواملك الثانية
ui-no-second-factors = ليس لديك عامل ثانٍ بعد.
ui-factor-passkey = مفتاح مرور
ui-factor-totp = تطبيق مصادقة
ui-added-at = أُضيف
ui-last-used = آخر استخدام
ui-never = أبدًا
ui-remove = إزالة
ui-add-passkey = إضافة مفتاح مرور
ui-factor-label-hint = اسم تتعرّف عليه، مثل «مفتاح المكتب» أو «الهاتف».
ui-add-totp = إضافة تطبيق مصادقة
ui-totp-setup = أدخل هذا المفتاح في تطبيق المصادقة، أو افتح الرابط على الهاتف الذي يحمل التطبيق؛ ثم اكتب الرمز الذي يعرضه التطبيق.
ui-totp-key = المفتاح
ui-totp-link = رابط للتطبيق
ui-recovery-codes = رموز الاسترداد
ui-recovery-codes-left = رموز الاسترداد غير المستخدمة: { $count }
ui-new-recovery-codes = إنشاء رموز استرداد جديدة
ui-recovery-codes-shown-once = احفظ هذه الرموز في مكان آمن بعيدًا عن هذا الحاسوب: كل رمز يتيح لك تسجيل الدخول مرة واحدة إذا فقدت عواملك الثانية. لا تُعرض إلا الآن، ولم تعد الرموز السابقة صالحة.
ui-back = رجوع
ui-back-home = العودة إلى الصفحة الرئيسية
ui-done = تم
ui-to-do = لم يتم بعد
ui-add = إضافة
ui-save = حفظ
ui-name = الاسم
ui-description = الوصف
ui-status = الحالة
ui-kind = النوع
ui-role = الدور
ui-decision = الإجراء
ui-older = حوادث أقدم
ui-next-page = الصفحة التالية

ui-error-not-found = غير موجود
ui-error-forbidden = دورك لا يسمح بذلك
ui-error-csrf = انتهت صلاحية هذا النموذج؛ أعد تحميل الصفحة وحاول مرة أخرى
ui-error-sign-in = يرجى تسجيل الدخول
ui-error-too-many = محاولات كثيرة جدًا؛ انتظر دقيقة ثم حاول مرة أخرى
ui-error-not-done = لم يتم التنفيذ
ui-error-upstream = لم تستجب خدمة يعتمد عليها forewarn
ui-error-internal = حدث خطأ ما؛ حاول لاحقًا

ui-apply-title = التقديم إلى forewarn
ui-apply-intro = ينبّه forewarn المؤسسات المعرّضة للخطر إلى هجمات البريد الموجّهة ضدها. اختر البرنامج المناسب لمؤسستك وعرّف بها؛ يراجع المشغّل كل طلب.
ui-apply-no-programs = لا يوجد حاليًا برنامج يقبل الطلبات.
ui-programs = البرامج
ui-program = البرنامج
ui-sectors = القطاعات
ui-countries = البلدان
ui-ends-on = ينتهي في
ui-programs-intro = يحدد البرنامج المنظمات التي يمكنها التقدم (القطاعات والبلدان) وحتى متى. وتسري عتبة الإبلاغ فيه فورًا على كل منظمة من منظماته لم تحدد عتبتها الخاصة.
ui-programs-none = لا يوجد برنامج بعد: أنشئ أول برنامج أدناه، وبعدها يمكن للمنظمات التقدم.
ui-program-new = برنامج جديد
ui-program-name = الاسم
ui-program-sectors-field = القطاعات (مفصولة بفواصل، مثل healthcare, ngo)
ui-program-countries-field = البلدان (رموز من حرفين مفصولة بفواصل، مثل JO, LB)
ui-program-ends-on-hint = (اتركه فارغًا إن لم يكن له نهاية)
ui-program-no-end = بلا نهاية
ui-program-notify-at = إبلاغ المنظمات فورًا ابتداءً من
ui-notify-at-never = أبدًا: يوافق محلل على كل حادثة
ui-program-create = إنشاء البرنامج
ui-org-name = اسم المؤسسة
ui-sector = القطاع
ui-country = البلد
ui-country-code = البلد (رمز من حرفين، مثل LB)
ui-domains-field = نطاقات بريدك (واحد في كل سطر)
ui-admin = مقدّم الطلب (يصبح مسؤول المؤسسة)
ui-apply-contact-note = مقدّم الطلب هو أيضًا أول جهة اتصال أمنية. يلزم عنوان على أحد النطاقات أعلاه.
ui-apply-submit = إرسال الطلب
ui-applied-title = تم استلام الطلب
ui-applied-text = شكرًا لك. سيراجع المشغّل طلب { $org }. بعد الموافقة عليه يتلقى المسؤول دعوة بالبريد الإلكتروني؛ ثم تحقّق من نطاقاتك.

ui-setup = الإعداد
ui-step-approved = تمت الموافقة على الطلب
ui-step-domain = التحقق من نطاق واحد على الأقل
ui-step-contacts = تعيين جهات الاتصال الأمنية
ui-step-webhook = إضافة webhook (اختياري)
ui-step-invite = دعوة الموظفين
ui-approve-org = موافقة
ui-reject-org = رفض
ui-suspend-org = تعليق
ui-reinstate-org = إعادة التفعيل
ui-org-status-pending = بانتظار الموافقة
ui-org-status-active = نشطة
ui-org-status-suspended = معلّقة
ui-org-status-left = غادرت
ui-domains = النطاقات
ui-domains-intro = لا يراقب forewarn إلا بريد النطاقات التي تم التحقق منها. انشر سجل TXT الظاهر ثم اضغط «تحقّق الآن»، أو اطلب إرسال رابط تأكيد إلى مسؤول البريد (postmaster) في النطاق.
ui-domain = النطاق
ui-dns-record = سجل DNS المطلوب نشره
ui-record-type = النوع
ui-record-name = الاسم
ui-record-value = القيمة
ui-check-now = تحقّق الآن
ui-mail-postmaster = راسل مسؤول البريد
ui-add-domain = إضافة نطاق
ui-domain-status-pending = لم يتم التحقق بعد
ui-domain-status-verified = تم التحقق
ui-domain-status-lapsed = لم يعد موثَّقًا: يُرفض بريده إلى أن يُوثَّق من جديد
ui-domain-verified = تم التحقق من { $domain }.
ui-postmaster-sent = أُرسل رابط تأكيد إلى postmaster@{ $domain }.
ui-contacts = جهات الاتصال الأمنية
ui-contacts-intro = من يتلقى التنبيهات، وبأي لغة، وعبر أي قناة.
ui-contact-n = جهة الاتصال { $n }
ui-channel = القناة
ui-channel-email = البريد الإلكتروني
ui-channel-webhook = Webhook
ui-save-contacts = حفظ جهات الاتصال
ui-webhooks = Webhooks
ui-webhooks-intro = يمكن أيضًا إرسال التنبيهات موقّعةً إلى أنظمتك الخاصة (نظام تذاكر أو محادثة).
ui-endpoint-status-enabled = مفعّل
ui-endpoint-status-disabled = معطّل
ui-webhook-secret-intro = أُضيفت الوجهة. لا يظهر سرّ التوقيع الخاص بها إلا الآن؛ احفظه حيث يستطيع المستقبِل قراءته:
ui-webhook-secret-note = يُوقَّع كل webhook بهذا السرّ (Standard Webhooks). يمكنك استبداله لاحقًا.
ui-test-title = إشعار تجريبي
ui-test-intro = أرسل تنبيهًا تجريبيًا إلى كل جهة اتصال بالبريد الإلكتروني وإلى كل webhook مفعّل، للتأكد من وصوله.
ui-test-send = إرسال إشعار تجريبي
ui-test-nobody = لا يوجد من يُرسل إليه الاختبار: أضف أولًا جهة اتصال بقناة البريد الإلكتروني أو webhook.
ui-recipient = المستلم
ui-result = النتيجة
ui-delivered = وصل
ui-not-delivered = لم يصل

ui-members = الأعضاء
ui-invite-title = دعوة الموظفين
ui-invite-intro = يتلقى الشخص رابطًا بالبريد الإلكتروني لاختيار كلمة مرور. يجب أن يكون عنوانه على أحد نطاقاتك التي تم التحقق منها.
ui-invite = إرسال الدعوة
ui-role-operator = مشغّل
ui-role-analyst = محلّل
ui-role-org-admin = مسؤول
ui-role-member = عضو
ui-user-status-invited = مدعوّ
ui-user-status-active = نشط
ui-user-status-left = غادر
ui-accounts = الحسابات
ui-account = الحساب
ui-accounts-watched = الحسابات المراقَبة
ui-accounts-privacy = صناديق البريد الشخصية ملك لأصحابها: لا تظهر عناوينها هنا.
ui-account-personal = شخصي
ui-account-enterprise = للعمل
ui-account-status-pending = بانتظار التأكيد
ui-account-status-confirmed = مراقَب
ui-account-status-revoked = مسحوب
ui-personal-account = حساب شخصي
ui-revoke = إيقاف المراقبة
ui-withdraw = انسحاب
ui-accounts-intro = صناديق البريد التي طلبت من forewarn مراقبتها لصالح { $org }.
ui-accounts-none = لم تسجّل أي صندوق بريد بعد.
ui-consented = تاريخ الموافقة
ui-opt-in-title = تسجيل صندوق بريد
ui-consent-title = ما توافق عليه (الشروط { $version })
ui-consent-1 = يفحص forewarn البريد الذي يصل إلى هذا الصندوق بحثًا عن الهجمات، وعندما يجد هجومًا يخبر فريق أمن { $org } ويخبرك.
ui-consent-2 = يحتفظ forewarn بما يلزم للتعرّف على الهجوم (المرسلون، والعناوين، والروابط، وبصمات المرفقات)، لا بنص رسائلك. لا يُعرض عنوانك الشخصي على مؤسستك.
ui-consent-3 = يمكنك الانسحاب في أي وقت من هذه الصفحة؛ وعندها يُمحى العنوان.
ui-consent-accept = قرأت هذا وأوافق عليه.
ui-mailbox = عنوان صندوق البريد
ui-opt-in = تسجيل
ui-opt-in-pending = أوشكت على الانتهاء: أرسلنا رابط تأكيد إلى ذلك الصندوق. لا شيء يُراقَب قبل أن تتبعه.
ui-opt-in-done = أصبح صندوق البريد مراقَبًا من الآن.

ui-incidents-title = الحوادث
ui-incidents-intro = الهجمات التي رصدها forewarn ضد { $org }، الأحدث أولًا.
ui-incidents-none = لا توجد حوادث حتى الآن.
ui-incident = الحادثة
ui-messages = الرسائل
ui-messages-count = { $count ->
        [one] رسالة واحدة
        [two] رسالتان
       *[other] { $count } من الرسائل
    }
ui-status-new = جديدة
ui-status-notified = تم الإبلاغ
ui-status-acknowledged = تم الاطلاع
ui-status-resolved = تمت المعالجة
ui-status-false-positive = إنذار كاذب
ui-mark-acknowledged = تأكيد الاطلاع
ui-mark-resolved = وضع علامة «تمت المعالجة»
ui-mark-false-positive = ليس هجومًا (إنذار كاذب)
ui-card-seen = ما رأيناه
ui-card-why = لماذا يهمّ ذلك
ui-card-steps = ما يجب فعله الآن
ui-sender = المرسل
ui-subject = الموضوع
ui-links = الروابط (لا تفتحها)
ui-attachments = المرفقات
ui-accounts-targeted = الحسابات المستهدفة
ui-first-seen = أول ظهور
ui-last-seen = آخر ظهور
ui-actor = من يُرجَّح أنه وراء ذلك
ui-actor-unknown = غير معروف بعد
ui-confidence = درجة يقيننا
ui-techniques = تقنيات ATT&CK
ui-findings = ما وجده forewarn
ui-more-guidance = مزيد من الإرشادات
ui-export = المشاركة مع أدوات أخرى (TLP:AMBER+STRICT، دون تسمية أي منظمة):
ui-export-stix = حزمة STIX 2.1
ui-export-misp = حدث MISP
ui-severity = الخطورة

ui-triage-title = الفرز
ui-triage-intro = حوادث لم يُبلَّغ عنها أحد بعد، الأقدم أولًا. وافق لإبلاغ المؤسسة الآن، أو صحّح الحادثة، أو استبعدها.
ui-triage-empty = لا شيء بانتظار المراجعة.
ui-organization = المؤسسة
ui-approve = الموافقة والإبلاغ
ui-dismiss = استبعاد
ui-evidence = الأدلة
ui-received = تاريخ الاستلام
ui-verdict = الحكم
ui-verdict-clean = سليمة
ui-verdict-suspicious = مريبة
ui-verdict-malicious = خبيثة
ui-detector = الكاشف
ui-finding = النتيجة
ui-where = الموضع
ui-points = النقاط
ui-edit-title = التصحيح قبل الإبلاغ
ui-title = العنوان
ui-analyst-note = ملاحظة للمؤسسة
ui-notifications = الإشعارات
ui-attempts = المحاولات
ui-delivery-pending = بالانتظار
ui-delivery-failed = فشل، ستُعاد المحاولة
ui-delivery-sent = أُرسل
ui-delivery-abandoned = تم التخلي عنه

ui-dashboard-title = لوحة المتابعة
ui-stat-active-orgs = مؤسسات نشطة
ui-stat-pending = طلبات بالانتظار
ui-stat-accounts = حسابات مراقَبة
ui-stat-open-incidents = حوادث مفتوحة
ui-stat-waiting = حوادث بانتظار المراجعة
ui-pending-title = الطلبات بالانتظار
ui-pending-none = لا توجد طلبات بالانتظار.
ui-applied = تاريخ الطلب
ui-chart-notifications = الإشعارات المرسلة يوميًا (آخر 30 يومًا)
ui-chart-by-program = المؤسسات حسب البرنامج
ui-chart-by-sector = المؤسسات حسب القطاع
ui-chart-by-country = المؤسسات حسب البلد
ui-chart-accounts = الحسابات المراقَبة حسب النوع
ui-chart-by-actor = الحوادث حسب الجهة الفاعلة
ui-chart-by-kind = الحوادث حسب النوع
ui-dead-letters-intro = الرسائل التي تعذّر تحليلها، مع السبب. أعد المحاولة بعد إصلاح السبب.
ui-dead-letters-none = لا توجد رسائل هنا.
ui-reason = السبب
ui-size = الحجم (بايت)
ui-retry = إعادة المحاولة

ui-guidance-intro = خطوات عملية في مواجهة الهجمات التي ينبّه إليها forewarn، وعادات تُفشلها.
ui-guidance-playbooks = إذا تعرّضت لهجوم
ui-guidance-advice = البقاء في أمان
ui-guidance-playbook-intro = اتبع هذه الخطوات بالترتيب. إذا احتجت إلى مساعدة، فردّ على التنبيه الذي تلقيته.

ui-nav-intel = المعلومات الاستخبارية
ui-aliases = يُعرف أيضًا باسم
ui-indicators = المؤشرات
ui-named-with = يُذكر مع
ui-more-not-shown = لا تظهر { $count } عناصر أخرى.
ui-search-indicators = البحث في المؤشرات
ui-search = بحث
ui-intel-none = لا توجد معلومات عن التهديدات محمّلة في هذه العملية. اذكر ملفات المصادر أو مجلداتها تحت ingest.intel في الإعدادات.
ui-cross-campaigns = حملات عبر عدة منظمات أعضاء
ui-cross-campaigns-none = لم تصل أي حملة إلى أكثر من منظمة عضو واحدة.
ui-orgs-reached = المنظمات التي وصلت إليها
ui-warned = المنظمات التي تم تحذيرها
ui-program-early-warning = الإنذار المبكر بين المنظمات
ui-program-warn-enabled = ربط حوادث منظماته بحوادث المنظمات الأخرى وتحذيرها من الحملات القادمة
ui-program-warn-k = ذكر عدد المنظمات المتأثرة ابتداءً من (k)
ui-program-warn-window = ربط الحوادث خلال (ساعات)
ui-program-warn-scope = تحذير منظمات
ui-warn-scope-sector = القطاع نفسه
ui-warn-scope-country = البلد نفسه
ui-warn-scope-program = البرنامج نفسه
ui-managed-feeds = المصادر المُدارة
ui-feeds-intro = المصادر التي أضافها المشغّل: مجموعات TAXII 2.1، ومستندات على عنوان URL (حزم STIX وأحداث MISP وملفات CSV وقوائم)، وأدلة مصادر MISP. يُقرأ كل مصدر وفق جدوله؛ والمصدر الذي تفشل قراءته يحتفظ بمؤشراته ويذكر السبب.
ui-feeds-none = لا يُدار هنا أي مصدر بعد. ومع ذلك تُقرأ ملفات المعلومات المذكورة في الإعدادات.
ui-feed-last-read = آخر قراءة
ui-feed-error = فشلت آخر قراءة
ui-feed-paused = متوقف مؤقتًا
ui-feed-active = نشط
ui-feed-pause = إيقاف مؤقت
ui-feed-resume = استئناف
ui-feed-new = إضافة مصدر
ui-feed-location = عنوان URL (مجموعة TAXII أو مستند أو دليل مصادر MISP)
ui-feed-every = القراءة كل (دقيقة)
ui-feed-credentials-note = بيانات الدخول إن طلبها الخادم: اسم مستخدم وكلمة مرور، أو رمز. تُحفظ مشفّرة ولا تُعرض مرة أخرى أبدًا.
ui-feed-user = المستخدم
ui-feed-token = الرمز
ui-feeds = المصادر وآخر استيراد لها
ui-feed = المصدر
ui-format = الصيغة
ui-rejected = المرفوض
ui-last-import = آخر استيراد
ui-actors = الجهات الفاعلة
ui-campaigns = الحملات
ui-malware-tools = البرمجيات الخبيثة والأدوات
ui-value = القيمة
ui-valid-until = صالح حتى
ui-attributed-to = منسوب إلى
ui-search-hint = اكتب جزءًا من نطاق أو عنوان أو رابط أو بصمة، أو اسم جهة فاعلة.

ui-link-unknown = هذا الرابط غير معروف أو سبق استخدامه أو انتهت صلاحيته. اطلب رابطًا جديدًا.
ui-join-title = الانضمام إلى forewarn
ui-join-intro = تمت دعوتك إلى forewarn، الخدمة التي تنبّه المؤسسات إلى هجمات البريد الموجّهة ضدها. اختر كلمة مرور للانضمام.
ui-join-intro-org = تمت دعوتك إلى forewarn، الخدمة التي تنبّه { $org } إلى هجمات البريد الموجّهة ضدها. اختر كلمة مرور للانضمام.
ui-join-password = اختر كلمة مرور (12 حرفًا على الأقل)
ui-join = انضمام
ui-joined-title = مرحبًا بك
ui-joined-text = لقد انضممت. سجّل الدخول بعنوانك وكلمة المرور التي اخترتها.
ui-confirm-title = تأكيد
ui-confirm-account-intro = أكّد أن forewarn يمكنه مراقبة صندوق البريد هذا بحثًا عن الهجمات، ضمن { $org }.
ui-confirm-domain = أكّد أن { $org } تستخدم نطاق البريد هذا، ليتمكن forewarn من مراقبة البريد الذي يصل إليه.
ui-confirm = تأكيد
ui-confirmed-title = تم التأكيد
ui-confirmed-account = شكرًا لك. يراقب forewarn الآن صندوق البريد هذا بحثًا عن الهجمات؛ يمكنك الانسحاب في أي وقت من صفحة حساباتك.
ui-confirmed-domain = شكرًا لك. تم التحقق من النطاق.

mail-invitation-subject = دعوة إلى forewarn لصالح { $org }
mail-invitation-body =
    تمت دعوتك إلى forewarn، الخدمة التي تنبّه { $org } إلى هجمات البريد الموجّهة ضدها.

    للانضمام، اختر كلمة مرور هنا (يعمل الرابط مرة واحدة، لمدة { $hours } ساعة):

    { $link }

    إذا لم تكن تتوقع هذه الرسالة، فتجاهلها.
mail-invitation-staff-subject = دعوة إلى forewarn
mail-invitation-staff-body =
    تمت دعوتك للانضمام إلى فريق هذه النسخة من forewarn، الخدمة التي تنبّه المؤسسات إلى هجمات البريد الموجّهة ضدها.

    للانضمام، اختر كلمة مرور هنا (يعمل الرابط مرة واحدة، لمدة { $hours } ساعة):

    { $link }

    إذا لم تكن تتوقع هذه الرسالة، فتجاهلها.
mail-account-subject = أكّد أن forewarn يمكنه مراقبة صندوق البريد هذا
mail-account-body =
    طلب شخص ما في { $org } من forewarn مراقبة صندوق البريد هذا بحثًا عن الهجمات.

    إذا كنت أنت وتوافق، فأكّد هنا (يعمل الرابط مرة واحدة، لمدة { $hours } ساعة):

    { $link }

    لا شيء يُراقَب قبل أن تؤكّد، ويمكنك الانسحاب في أي وقت؛ وعندها يُمحى هذا العنوان.
    إذا لم تكن أنت، فتجاهل هذه الرسالة.
mail-password-changed-subject = تم تغيير كلمة مرورك في forewarn
mail-password-changed-body =
    تم تغيير كلمة مرور حسابك في forewarn في { $time }، وانتهت جميع جلساتك ورموز واجهة البرمجة الخاصة بك.

    إن كنت أنت من غيّرها، فلا شيء عليك.
    وإن لم تكن أنت، فهناك من يعرف كلمة مرورك: أبلغ مشغّل نسخة forewarn هذه فورًا.
mail-domain-lapsed-subject = لم يعد { $domain } موثَّقًا لدى forewarn
mail-domain-lapsed-body =
    يتحقق forewarn من حين لآخر من أن منظمتك ما زالت تتحكم في { $domain }، ولم يتمكن من تأكيد ذلك هذه المرة: سجل TXT الذي وُثّق به لم يعد موجودًا، أو لم يتبع مسؤول البريد الرابط المرسل لتأكيده من جديد.

    إلى أن يُوثَّق من جديد، يُرفض البريد المحوَّل إلى forewarn للعناوين في { $domain } ولا يُحلَّل.

    لتوثيقه من جديد، انشر سجل TXT المعروض في صفحة منظمتك، أو اطلب من هناك رابطًا لمسؤول البريد:

    { $link }

mail-domain-subject = أكّد أن { $org } تستخدم هذا النطاق
mail-domain-body =
    طلبت { $org } من forewarn التحقق من أن نطاق البريد هذا يخصّها.

    إذا كان ذلك صحيحًا، فأكّد هنا (يعمل الرابط مرة واحدة، لمدة { $hours } ساعة):

    { $link }

    إذا لم يكن كذلك، فتجاهل هذه الرسالة.

warning-subject = [forewarn] إنذار مبكر: { $campaign } تصل إلى منظمات مثل منظمتكم
warning-intro = حملة وصلت إلى { $reach } خلال آخر { $hours } ساعة قد تصل إليكم بعد ذلك. لم يرصدها forewarn في بريدكم بعد.
warning-reach-count = { $count } منظمات أعضاء
warning-reach-some = منظمات أعضاء أخرى
warning-block-title = احظروا هذه الآن (في بوابة البريد أو وكيل الويب أو DNS)
warning-steps-title = إذا وصلت إلى موظفيكم
warning-footer = يأتي هذا الإنذار من { $operator } عبر forewarn. ولا يذكر أي منظمة تعرضت للهجوم.
