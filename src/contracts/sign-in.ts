/**
 * Where an emailed sign-in link points: the console page that asks for a click before signing in.
 * Both the API's `POST /v1/auth/email-link` (and its callback redirect) and the console's own sign-in
 * form build links to it, so it lives below routes/ and ui/.
 */
export const CONFIRM_PATH = "/ui/login/confirm";
