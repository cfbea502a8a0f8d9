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
