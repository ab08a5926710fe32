/**
 * Where emailed links point (sign-in and sign-up confirmation alike): the console page that shows
 * what the link does and asks for a click before it is used (mail scanners open links).
 * Both the API's `POST /v1/auth/email-link` (and its callback redirect) and the console's own sign-in
 * form build links to it, so it lives below routes/ and ui/.
 */
export const CONFIRM_PATH = "/ui/login/confirm";
