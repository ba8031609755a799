export { type FunctionAccess, ServiceStack, type ServiceStackProps } from './ServiceStack.js';
