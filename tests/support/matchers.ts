// toHaveReceivedCommandWith and friends for aws-sdk-client-mock.
import 'aws-sdk-client-mock-jest';
