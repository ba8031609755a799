export {
  type ListenerRule,
  type LoadBalancer,
  type LoadBalancerProps,
  startLoadBalancer,
} from './startLoadBalancer.js';
