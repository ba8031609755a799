/** The groups of customers: they live in the customer user pool. */
export const CUSTOMER_GROUPS = ['BannedCustomers', 'RegularCustomers'] as const;

/**
 * The groups of staff: they live in the staff user pool only, whose every sign-in needs a TOTP
 * code (ADR 0019), and the services believe them only from that pool's tokens.
 */
export const STAFF_GROUPS = ['Admins', 'Operators'] as const;
