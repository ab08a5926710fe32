import { signInTokens } from "../../../schema";
import { randomSecret, SIGN_UP_CONFIRM_TTL_MS, secretHash } from "../../auth/session";
import type { Mailer } from "../../email/mailer";
import { signUpConfirmationEmail } from "../../email/sign-in.template";
import { newId } from "../../lib/ids";
import { runAfter, type ServiceDeps } from "../deps";
import type { CreateBusinessInput } from "./business-columns";
import { assertNibFree, insertBusiness, normaliseOrThrow } from "./businesses.shared";
import type { Business } from "./businesses.views";

export interface SignUpDeps extends ServiceDeps {
  mailer: Mailer;
}

/**
 * A business signs itself up: same fields and rules as an officer's create, but it lands
 * `unconfirmed` and gets no API key. Anyone may type any address, so nothing is done with the
 * sign-up until that address's owner uses the link emailed to it (`redeemSignInToken` then makes it
 * `pending_review`, for an officer to publish): until then officers do not review it, it holds no
 * NIB, it is never offered for sign-in, and after `SIGN_UP_CONFIRM_TTL_MS` it is deleted
 * (`purgeUnconfirmedSignUps`). The confirmation email carries none of the applicant's text
 * (src/email/sign-in.template.ts says why). The matcher never loads unpublished rows, so nothing
 * is rescored and the revision is not bumped.
 *
 * @param input.confirmUrl the absolute URL of the confirmation page; the token is appended.
 */
export async function signUpBusiness(
  deps: SignUpDeps,
  input: { fields: Omit<CreateBusinessInput, "active">; confirmUrl: string; now: number },
): Promise<Business> {
  const fields = normaliseOrThrow({ ...input.fields, active: true });
  // Only a business that holds the NIB answers 409: an unconfirmed sign-up with it does not.
  await assertNibFree(deps, fields.nib);
  const id = newId("biz_", input.now);
  const token = randomSecret();
  const business = await insertBusiness(deps, {
    id,
    fields,
    status: "unconfirmed",
    now: input.now,
    actor: { kind: "business", id },
    action: "sign_up",
    alsoWrite: [
      deps.db.insert(signInTokens).values({
        tokenHash: await secretHash(token),
        purpose: "confirm_sign_up",
        businessId: id,
        createdAt: input.now,
        expiresAt: input.now + SIGN_UP_CONFIRM_TTL_MS,
      }),
    ],
  });
  await runAfter(deps, "send sign-up confirmation", () =>
    deps.mailer.send({
      to: fields.email,
      ...signUpConfirmationEmail(fields.language, {
        link: `${input.confirmUrl}?token=${token}`,
        validHours: SIGN_UP_CONFIRM_TTL_MS / 3_600_000,
      }),
    }),
  );
  return business;
}
