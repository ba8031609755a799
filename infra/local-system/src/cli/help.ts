/** The CLI's commands other than `help`. */
export const COMMANDS = ['place', 'show', 'cancel', 'stock', 'token', 'code', 'device'] as const;
export type Command = (typeof COMMANDS)[number];

/** What `npx shop help` prints: kept apart so that printing it loads nothing else. */
export const HELP = `Usage: npx shop <command> [--as USER]

Every command signs USER in to their local user pool (staff to the staff pool, customers to
the customer pool) and calls the REST APIs with the user's ID token: the API's authorizer checks the token, the service's Cedar policies decide.
Staff routes (/admin/...) go through Verified Access with the posture \`device\` saved.

  place SKU:QTY [SKU:QTY ...] [--card TOKEN]
                          place an order as USER (a customer) and wait until it is
                          CONFIRMED or CANCELLED
  show ORDER_ID           an order with its payment status (its customer, or staff)
  cancel ORDER_ID         cancel an order as its customer (stock released, charge refunded)
  stock SKU               a product; its stock counters too for staff (--as oscar, after
                          \`npx shop device compliant\`)
  token [USERNAME]        print a user's ID token (default USER)
  code [USERNAME]         print the code a member of staff's authenticator app shows now,
                          for the staff pool's managed login (the console's sign-in)
  device compliant|noncompliant
                          print a device posture of this machine (risk SECURE or HIGH),
                          signed by the local device trust provider, and save it to
                          .local-cloud/device.jwt: Verified Access reads it from the
                          x-device-posture header or the device_posture cookie
  help                    this text

  --as USER               alice (default), bob: customers; mallory: banned customer;
                          oscar: operator; ada: admin (staff answer a TOTP challenge, with
                          the code of the secret \`npm start\` wrote to .local-cloud/)

Test card tokens: tok_success, tok_declined, tok_insufficient_funds,
tok_timeout (first answer lost, retried), tok_unavailable (processor down).
Runs against the shop that \`npm start\` runs: REST APIs at LOCAL_API_PORT (default 4060:
Order 4060, Inventory 4061), user pools at LOCAL_COGNITO_PORT (default 4070).
With a token, call the REST APIs yourself:
  curl -H "Authorization: Bearer $(npx shop token alice)" http://127.0.0.1:4061/products
Staff reach the staff routes through Verified Access (LOCAL_VERIFIED_ACCESS_PORT, 4080), which
lets them on to the staff load balancer (LOCAL_STAFF_LOAD_BALANCER_PORT, 4090), /<service>/...:
  curl -H "Authorization: Bearer $(npx shop token oscar)" \\
       -H "x-device-posture: $(npx shop device compliant)" \\
       http://127.0.0.1:4080/order/admin/orders
The staff console is at http://127.0.0.1:4080/console/: sign in as oscar (Operator) or ada
(Admin), password Local-<user>-2026!, the code of \`npx shop code <user>\`, and this machine's
posture from \`npx shop device compliant\`.`;
