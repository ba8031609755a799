import { GetPayment, type OrderId, type PaymentView } from '@shop/contracts';
import type { QueryClient } from '@shop/shared';
import type { PaymentStatuses } from '../app/ports.js';

/** Payment statuses read from Payment's `GET /payments/{orderId}` over VPC Lattice. */
export class PaymentQueries implements PaymentStatuses {
  constructor(private readonly payment: QueryClient) {}

  paymentOf(orderId: OrderId): Promise<PaymentView | undefined> {
    return this.payment.get(GetPayment, { orderId });
  }
}
