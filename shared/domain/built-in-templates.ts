import type { Channel } from './invite';

/** A message's wording with `{{placeholder}}`s (see `message-template.ts`); email has a subject. */
export interface InviteTemplate {
  readonly subject?: string;
  readonly body: string;
}

export const BUILT_IN_LANGUAGES = ['en', 'es', 'fr', 'ar'] as const;
export type BuiltInLanguage = (typeof BUILT_IN_LANGUAGES)[number];

/**
 * The wording a school gets until it writes its own. Every body carries the username and the
 * temporary password on lines of their own, so they can be copied. The SMS texts keep to the
 * GSM-7 alphabet where the language allows it (no á, í, ó, ú): one character outside it turns the
 * whole message into UCS-2, at 67 characters a part instead of 153. Arabic is UCS-2 anyway.
 *
 * WhatsApp bodies are the templates to have approved on the sending number, with `{{1}}`, `{{2}}`…
 * in the order the placeholders appear (see `whatsAppTemplateBody`).
 */
export const BUILT_IN_TEMPLATES: Readonly<
  Record<Channel, Readonly<Record<BuiltInLanguage, InviteTemplate>>>
> = {
  email: {
    en: {
      subject: 'Your {{school_name}} parent portal account',
      body: [
        'Hello {{parent_name}},',
        '',
        '{{school_name}} has created a parent portal account for you to follow {{children}}.',
        '',
        'Username: {{username}}',
        'Temporary password: {{temporary_password}}',
        '',
        'Sign in at {{portal_url}}. You will be asked to choose your own password; the temporary password works only until then.',
      ].join('\n'),
    },
    es: {
      subject: 'Su cuenta del portal de familias de {{school_name}}',
      body: [
        'Hola, {{parent_name}}:',
        '',
        '{{school_name}} ha creado una cuenta en el portal de familias para que pueda seguir a {{children}}.',
        '',
        'Usuario: {{username}}',
        'Contraseña temporal: {{temporary_password}}',
        '',
        'Inicie sesión en {{portal_url}}. Se le pedirá que elija su propia contraseña; la contraseña temporal solo funciona hasta entonces.',
      ].join('\n'),
    },
    fr: {
      subject: 'Votre compte sur le portail parents de {{school_name}}',
      body: [
        'Bonjour {{parent_name}},',
        '',
        '{{school_name}} a créé pour vous un compte sur le portail parents pour suivre {{children}}.',
        '',
        'Identifiant : {{username}}',
        'Mot de passe temporaire : {{temporary_password}}',
        '',
        'Connectez-vous sur {{portal_url}}. Vous devrez choisir votre propre mot de passe ; le mot de passe temporaire ne fonctionne que jusque-là.',
      ].join('\n'),
    },
    ar: {
      subject: 'حسابك في بوابة أولياء الأمور لدى {{school_name}}',
      body: [
        'مرحبًا {{parent_name}}،',
        '',
        'أنشأت {{school_name}} حسابًا لك في بوابة أولياء الأمور لمتابعة {{children}}.',
        '',
        'اسم المستخدم: {{username}}',
        'كلمة المرور المؤقتة: {{temporary_password}}',
        '',
        'سجّل الدخول على {{portal_url}}. سيُطلب منك اختيار كلمة مرور خاصة بك، ولا تعمل كلمة المرور المؤقتة إلا حتى ذلك الحين.',
      ].join('\n'),
    },
  },
  sms: {
    en: {
      body: [
        '{{school_name}} parent portal: {{portal_url}}',
        'Username: {{username}}',
        'Temporary password: {{temporary_password}}',
        'You will choose your own password at first sign-in.',
      ].join('\n'),
    },
    es: {
      body: [
        'Portal de familias de {{school_name}}: {{portal_url}}',
        'Usuario: {{username}}',
        'Contraseña temporal: {{temporary_password}}',
        'Al entrar, elija su propia contraseña.',
      ].join('\n'),
    },
    fr: {
      body: [
        'Portail parents de {{school_name}} : {{portal_url}}',
        'Identifiant : {{username}}',
        'Mot de passe temporaire : {{temporary_password}}',
        'Vous choisirez votre mot de passe à la première connexion.',
      ].join('\n'),
    },
    ar: {
      body: [
        'بوابة أولياء الأمور لدى {{school_name}}: {{portal_url}}',
        'اسم المستخدم: {{username}}',
        'كلمة المرور المؤقتة: {{temporary_password}}',
        'ستختار كلمة مرورك عند أول تسجيل دخول.',
      ].join('\n'),
    },
  },
  whatsapp: {
    en: {
      body: [
        'Hello {{parent_name}}, {{school_name}} invites you to its parent portal.',
        'Username: {{username}}',
        'Temporary password: {{temporary_password}}',
        'Sign in at {{portal_url}} and choose your own password.',
      ].join('\n'),
    },
    es: {
      body: [
        'Hola, {{parent_name}}: {{school_name}} le invita a su portal de familias.',
        'Usuario: {{username}}',
        'Contraseña temporal: {{temporary_password}}',
        'Inicie sesión en {{portal_url}} y elija su propia contraseña.',
      ].join('\n'),
    },
    fr: {
      body: [
        'Bonjour {{parent_name}}, {{school_name}} vous invite sur son portail parents.',
        'Identifiant : {{username}}',
        'Mot de passe temporaire : {{temporary_password}}',
        'Connectez-vous sur {{portal_url}} et choisissez votre propre mot de passe.',
      ].join('\n'),
    },
    ar: {
      body: [
        'مرحبًا {{parent_name}}، تدعوك {{school_name}} إلى بوابة أولياء الأمور.',
        'اسم المستخدم: {{username}}',
        'كلمة المرور المؤقتة: {{temporary_password}}',
        'سجّل الدخول على {{portal_url}} واختر كلمة مرورك.',
      ].join('\n'),
    },
  },
};

/** How a message greets a parent whose record has no names. */
export const UNNAMED_PARENT: Readonly<Record<BuiltInLanguage, string>> = {
  en: 'Parent',
  es: 'familia',
  fr: 'Madame, Monsieur',
  ar: 'ولي الأمر',
};
