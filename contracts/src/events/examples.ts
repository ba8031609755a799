/** Ids shared by the examples of every event, so the examples read as one order's story. */
export const EXAMPLE_ORDER_ID = '0b6a8c2e-4f0e-4a8e-9a55-3c1f8a7f2d10';
export const EXAMPLE_CUSTOMER_ID = '7d3f1c9a-2b4e-4c61-8f0a-5e9b2d6c4a13';
export const EXAMPLE_PAYMENT_ID = 'c2a4e6f8-1b3d-4f5a-8c7e-9d0b2a4c6e81';
