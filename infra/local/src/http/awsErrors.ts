/** An error answered to the caller as an AWS JSON protocol error: `{ __type, message }`. */
export class AwsServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
    this.name = type;
  }
}

export const resourceNotFound = (message: string): AwsServiceError =>
  new AwsServiceError('ResourceNotFoundException', message);

export const validationError = (message: string): AwsServiceError =>
  new AwsServiceError('ValidationException', message);
