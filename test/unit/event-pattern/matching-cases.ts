/**
 * Matching cases (pattern, event, expected), from the EventBridge user guide's
 * examples ("Creating event patterns", "Content filtering", "Arrays",
 * "Matching null values and empty strings", comparison operators) and edge
 * cases around types, arrays, case and absence. Each case is named.
 */

export interface MatchCase {
  name: string;
  pattern: unknown;
  event: unknown;
  expected: boolean;
}

type Row = [label: string, event: unknown, expected: boolean];

function group(title: string, pattern: unknown, rows: Row[]): MatchCase[] {
  return rows.map(([label, event, expected]) => ({ name: `${title}: ${label}`, pattern, event, expected }));
}

const ec2Event = {
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '111122223333',
  time: '2017-12-22T18:43:48Z',
  region: 'us-west-1',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail: { 'instance-id': 'i-1234567890abcdef0', state: 'terminated' },
};

export const matchingCases: MatchCase[] = [
  // User guide: "Creating Amazon EventBridge event patterns"
  ...group('guide ec2 terminated', { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'], detail: { state: ['terminated'] } }, [
    ['the guide event', ec2Event, true],
    ['state running', { ...ec2Event, detail: { ...ec2Event.detail, state: 'running' } }, false],
    ['other source', { ...ec2Event, source: 'aws.s3' }, false],
    ['detail missing', { ...ec2Event, detail: undefined }, false],
    ['detail-type differs in case', { ...ec2Event, 'detail-type': 'ec2 instance state-change notification' }, false],
  ]),
  ...group('guide source only', { source: ['aws.ec2'] }, [
    ['extra fields ignored', ec2Event, true],
    ['source missing', { detail: {} }, false],
    ['source as array containing it', { source: ['x', 'aws.ec2'] }, true],
  ]),
  ...group('guide one of several states', { detail: { state: ['pending', 'running'] } }, [
    ['pending', { detail: { state: 'pending' } }, true],
    ['running', { detail: { state: 'running' } }, true],
    ['stopped', { detail: { state: 'stopped' } }, false],
  ]),

  // User guide: "Arrays in event patterns"
  ...group(
    'guide arrays intersection',
    {
      resources: [
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f',
      ],
    },
    [
      [
        'second event item matches first pattern value',
        {
          resources: [
            'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate',
            'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
          ],
        },
        true,
      ],
      ['no common item', { resources: ['arn:aws:ec2:us-east-1:999999999999:instance/i-b188560f'] }, false],
      ['empty event array', { resources: [] }, false],
      ['scalar event value equal to a pattern value', { resources: 'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f' }, true],
    ],
  ),
  ...group('arrays nested in event arrays are flattened', { tags: ['a'] }, [
    ['nested array holds it', { tags: [['b', ['a']]] }, true],
    ['nested array lacks it', { tags: [['b', ['c']]] }, false],
  ]),

  // User guide: "Matching null values and empty strings"
  ...group('guide empty string', { detail: { eventVersion: [''] } }, [
    ['empty string', { detail: { eventVersion: '', responseElements: null } }, true],
    ['null is not an empty string', { detail: { eventVersion: null } }, false],
    ['missing', { detail: {} }, false],
    ['space', { detail: { eventVersion: ' ' } }, false],
  ]),
  ...group('guide null', { detail: { responseElements: [null] } }, [
    ['null', { detail: { eventVersion: '', responseElements: null } }, true],
    ['empty string is not null', { detail: { responseElements: '' } }, false],
    ['missing is not null', { detail: {} }, false],
    ['string "null" is not null', { detail: { responseElements: 'null' } }, false],
    ['null inside an array', { detail: { responseElements: [1, null] } }, true],
  ]),

  // Exact values of every JSON type
  ...group('exact number', { n: [5] }, [
    ['5', { n: 5 }, true],
    ['5.0 (numeric equality)', JSON.parse('{"n": 5.0}'), true],
    ['5e0', JSON.parse('{"n": 5e0}'), true],
    ['string "5"', { n: '5' }, false],
    ['6', { n: 6 }, false],
    ['array with 5', { n: [1, 5] }, true],
  ]),
  ...group('exact decimal', { n: [3.0] }, [
    ['3', { n: 3 }, true],
    ['3.0000001', { n: 3.0000001 }, false],
    ['"3.0"', { n: '3.0' }, false],
  ]),
  ...group('exact string "5"', { n: ['5'] }, [
    ['string "5"', { n: '5' }, true],
    ['number 5', { n: 5 }, false],
  ]),
  ...group('exact negative and zero', { n: [-0, -12.5] }, [
    ['0', { n: 0 }, true],
    ['-12.5', { n: -12.5 }, true],
    ['12.5', { n: 12.5 }, false],
  ]),
  ...group('exact large number (account-id style)', { account: [123456789012] }, [
    ['same number', { account: 123456789012 }, true],
    ['as string', { account: '123456789012' }, false],
  ]),
  ...group('exact true', { b: [true] }, [
    ['true', { b: true }, true],
    ['false', { b: false }, false],
    ['"true"', { b: 'true' }, false],
    ['1', { b: 1 }, false],
  ]),
  ...group('exact false', { b: [false] }, [
    ['false', { b: false }, true],
    ['0', { b: 0 }, false],
    ['null', { b: null }, false],
    ['missing', {}, false],
  ]),
  ...group('mixed exact types', { v: ['a', 1, true, null] }, [
    ['a', { v: 'a' }, true],
    ['1', { v: 1 }, true],
    ['true', { v: true }, true],
    ['null', { v: null }, true],
    ['"1"', { v: '1' }, false],
    ['"A"', { v: 'A' }, false],
  ]),
  ...group('exact string is case sensitive', { name: ['Alice'] }, [
    ['Alice', { name: 'Alice' }, true],
    ['alice', { name: 'alice' }, false],
    ['ALICE', { name: 'ALICE' }, false],
  ]),
  ...group('exactly operator', { name: [{ exactly: 'Alice' }] }, [
    ['Alice', { name: 'Alice' }, true],
    ['alice', { name: 'alice' }, false],
  ]),

  // Nested fields
  ...group('deep nesting', { detail: { a: { b: { c: ['x'] } } } }, [
    ['present', { detail: { a: { b: { c: 'x' } } } }, true],
    ['intermediate is a scalar', { detail: { a: 'x' } }, false],
    ['leaf is an object', { detail: { a: { b: { c: { x: 1 } } } } }, false],
    ['different leaf', { detail: { a: { b: { c: 'y' } } } }, false],
  ]),
  ...group('dotted names are names, not paths', { 'a.b': ['x'] }, [
    ['literal dotted key', { 'a.b': 'x' }, true],
    ['nested a then b', { a: { b: 'x' } }, false],
  ]),
  ...group('object pattern inside array of objects needs one element', { items: { sku: ['beans'], qty: [2] } }, [
    [
      'same element',
      {
        items: [
          { sku: 'mug', qty: 1 },
          { sku: 'beans', qty: 2 },
        ],
      },
      true,
    ],
    [
      'fields from different elements',
      {
        items: [
          { sku: 'beans', qty: 1 },
          { sku: 'mug', qty: 2 },
        ],
      },
      false,
    ],
    ['plain object', { items: { sku: 'beans', qty: 2 } }, true],
  ]),
  ...group('leaf under array of objects', { detail: { items: { sku: ['beans'] } } }, [
    ['any element', { detail: { items: [{ sku: 'mug' }, { sku: 'beans' }] } }, true],
    ['none', { detail: { items: [{ sku: 'mug' }] } }, false],
  ]),
  ...group('prototype names are not found on plain events', { constructor: [{ exists: true }] }, [
    ['no own constructor', { a: 1 }, false],
    ['own constructor', { constructor: 'x' }, true],
  ]),

  // Prefix / suffix / equals-ignore-case
  ...group('guide prefix time', { time: [{ prefix: '2017-10-02' }] }, [
    ['2017-10-02T18:43:48Z', { time: '2017-10-02T18:43:48Z' }, true],
    ['2017-10-03', { time: '2017-10-03T18:43:48Z' }, false],
    ['exactly the prefix', { time: '2017-10-02' }, true],
    ['number does not prefix-match', { time: 20171002 }, false],
  ]),
  ...group('prefix us-', { Region: [{ prefix: 'us-' }] }, [
    ['us-east-1', { Region: 'us-east-1' }, true],
    ['US-EAST-1', { Region: 'US-EAST-1' }, false],
    ['eu-west-1', { Region: 'eu-west-1' }, false],
    ['exactly the prefix', { Region: 'us-' }, true],
    ['array with one match', { Region: ['eu-west-1', 'us-west-2'] }, true],
  ]),
  ...group('empty prefix matches any string', { s: [{ prefix: '' }] }, [
    ['empty string', { s: '' }, true],
    ['any string', { s: 'abc' }, true],
    ['number', { s: 1 }, false],
    ['null', { s: null }, false],
  ]),
  ...group('guide prefix equals-ignore-case', { detail: { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] } }, [
    ['EventBridge', { detail: { service: 'EventBridge' } }, true],
    ['EVENTBRIDGE', { detail: { service: 'EVENTBRIDGE' } }, true],
    ['eventb', { detail: { service: 'eventb' } }, true],
    ['Event', { detail: { service: 'Event' } }, false],
  ]),
  ...group('guide suffix png', { FileName: [{ suffix: '.png' }] }, [
    ['image.png', { FileName: 'image.png' }, true],
    ['image.PNG', { FileName: 'image.PNG' }, false],
    ['image.png.txt', { FileName: 'image.png.txt' }, false],
  ]),
  ...group('guide suffix equals-ignore-case', { detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } }, [
    ['.PNG', { detail: { FileName: 'A.PNG' } }, true],
    ['.Png', { detail: { FileName: 'a.Png' } }, true],
    ['.jpg', { detail: { FileName: 'a.jpg' } }, false],
  ]),
  ...group('guide equals-ignore-case', { name: [{ 'equals-ignore-case': 'alice' }] }, [
    ['Alice', { name: 'Alice' }, true],
    ['ALICE', { name: 'ALICE' }, true],
    ['Alicia', { name: 'Alicia' }, false],
    ['not a string', { name: true }, false],
  ]),

  // Anything-but
  ...group('guide anything-but string', { detail: { state: [{ 'anything-but': 'initializing' }] } }, [
    ['running', { detail: { state: 'running' } }, true],
    ['initializing', { detail: { state: 'initializing' } }, false],
    ['INITIALIZING (case differs)', { detail: { state: 'INITIALIZING' } }, true],
    ['missing field does not match', { detail: {} }, false],
    ['array with another value', { detail: { state: ['initializing', 'running'] } }, true],
    ['array of only the excluded value', { detail: { state: ['initializing'] } }, false],
    ['null is anything but the string', { detail: { state: null } }, true],
  ]),
  ...group('guide anything-but number', { detail: { 'x-limit': [{ 'anything-but': 123 }] } }, [
    ['124', { detail: { 'x-limit': 124 } }, true],
    ['123', { detail: { 'x-limit': 123 } }, false],
    ['123.0', JSON.parse('{"detail": {"x-limit": 123.0}}'), false],
    ['string "123" is not the number', { detail: { 'x-limit': '123' } }, true],
  ]),
  ...group('guide anything-but string list', { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } }, [
    ['running', { detail: { state: 'running' } }, true],
    ['stopped', { detail: { state: 'stopped' } }, false],
    ['overloaded', { detail: { state: 'overloaded' } }, false],
  ]),
  ...group('guide anything-but number list', { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } }, [
    ['150', { detail: { 'x-limit': 150 } }, true],
    ['200', { detail: { 'x-limit': 200 } }, false],
    ['[100, 50] has a value not excluded', { detail: { 'x-limit': [100, 50] } }, true],
    ['[100, 300] all excluded', { detail: { 'x-limit': [100, 300] } }, false],
  ]),
  ...group('guide anything-but prefix', { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, [
    ['running', { detail: { state: 'running' } }, true],
    ['initializing', { detail: { state: 'initializing' } }, false],
    ['Init (case differs)', { detail: { state: 'Initializing' } }, true],
    ['missing', { detail: {} }, false],
  ]),
  ...group('anything-but prefix list', { Region: [{ 'anything-but': { prefix: ['us-', 'eu-'] } }] }, [
    ['ap-south-1', { Region: 'ap-south-1' }, true],
    ['us-east-1', { Region: 'us-east-1' }, false],
    ['eu-west-1', { Region: 'eu-west-1' }, false],
  ]),
  ...group('guide anything-but suffix', { FileName: [{ 'anything-but': { suffix: '.png' } }] }, [
    ['a.jpg', { FileName: 'a.jpg' }, true],
    ['a.png', { FileName: 'a.png' }, false],
  ]),
  ...group('guide anything-but equals-ignore-case', { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] }, [
    ['INITIALIZING', { state: 'INITIALIZING' }, false],
    ['Initializing', { state: 'Initializing' }, false],
    ['running', { state: 'running' }, true],
  ]),
  ...group('anything-but equals-ignore-case list', { state: [{ 'anything-but': { 'equals-ignore-case': ['Stopped', 'OverLoaded'] } }] }, [
    ['STOPPED', { state: 'STOPPED' }, false],
    ['overloaded', { state: 'overloaded' }, false],
    ['Running', { state: 'Running' }, true],
  ]),
  ...group('guide anything-but wildcard', { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] }, [
    ['/usr/bin/x', { FilePath: '/usr/bin/x' }, true],
    ['/usr/lib/x', { FilePath: '/usr/lib/x' }, false],
  ]),
  ...group('anything-but wildcard list', { FilePath: [{ 'anything-but': { wildcard: ['*/bin/*.jar', '*/bin/*.class'] } }] }, [
    ['/a/bin/x.jar', { FilePath: '/a/bin/x.jar' }, false],
    ['/a/bin/x.class', { FilePath: '/a/bin/x.class' }, false],
    ['/a/bin/x.txt', { FilePath: '/a/bin/x.txt' }, true],
  ]),
  ...group('two anything-but values in one field are ORed', { source: [{ 'anything-but': 'aws.ec2' }, { 'anything-but': 'aws.lambda' }] }, [
    ['aws.ec2 passes the second', { source: 'aws.ec2' }, true],
    ['aws.lambda passes the first', { source: 'aws.lambda' }, true],
  ]),

  // Numeric
  ...group(
    'guide numeric all fields',
    { detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }], 'd-count': [{ numeric: ['<', 10] }], 'x-limit': [{ numeric: ['=', 3.018e2] }] } },
    [
      ['all true', { detail: { 'c-count': 5, 'd-count': 7, 'x-limit': 301.8 } }, true],
      ['c-count 0 (open bottom)', { detail: { 'c-count': 0, 'd-count': 7, 'x-limit': 301.8 } }, false],
      ['c-count 5.0001', { detail: { 'c-count': 5.0001, 'd-count': 7, 'x-limit': 301.8 } }, false],
      ['d-count 10 (open top)', { detail: { 'c-count': 1, 'd-count': 10, 'x-limit': 301.8 } }, false],
      ['x-limit 301.80', JSON.parse('{"detail": {"c-count": 1, "d-count": 1, "x-limit": 301.80}}'), true],
      ['x-limit as string', { detail: { 'c-count': 1, 'd-count': 1, 'x-limit': '301.8' } }, false],
      ['d-count missing', { detail: { 'c-count': 1, 'x-limit': 301.8 } }, false],
    ],
  ),
  ...group('numeric >= and <', { price: [{ numeric: ['>=', 10, '<', 20] }] }, [
    ['10', { price: 10 }, true],
    ['19.999', { price: 19.999 }, true],
    ['20', { price: 20 }, false],
    ['9.99', { price: 9.99 }, false],
    ['"15"', { price: '15' }, false],
    ['array [1, 15]', { price: [1, 15] }, true],
    ['negative', { price: -15 }, false],
  ]),
  ...group('numeric open ended', { n: [{ numeric: ['>', -1] }] }, [
    ['-0.5', { n: -0.5 }, true],
    ['-1', { n: -1 }, false],
    ['1e9', { n: 1e9 }, true],
    ['true is not a number', { n: true }, false],
  ]),
  ...group('numeric <=', { n: [{ numeric: ['<=', 0] }] }, [
    ['0', { n: 0 }, true],
    ['-5', { n: -5 }, true],
    ['0.000001', { n: 0.000001 }, false],
  ]),
  ...group('numeric ranges ORed in one field', { n: [{ numeric: ['<', 0] }, { numeric: ['>', 100] }] }, [
    ['-1', { n: -1 }, true],
    ['101', { n: 101 }, true],
    ['50', { n: 50 }, false],
  ]),

  // Exists
  ...group('guide exists false', { detail: { 'c-count': [{ exists: false }] } }, [
    ['field absent', { 'detail-type': ['EC2 Instance State-change Notification'], detail: { state: ['initializing', 'running'] } }, true],
    ['field is an object (not a leaf)', { detail: { state: ['initializing'], 'c-count': { c1: 100 } } }, true],
    ['field present', { detail: { 'c-count': 1 } }, false],
    ['field null is present', { detail: { 'c-count': null } }, false],
    ['detail absent altogether', { source: 'x' }, true],
    ['empty array has no value', { detail: { 'c-count': [] } }, true],
  ]),
  ...group('exists true', { detail: { ProductName: [{ exists: true }] } }, [
    ['string', { detail: { ProductName: 'Beans' } }, true],
    ['empty string', { detail: { ProductName: '' } }, true],
    ['null counts as present', { detail: { ProductName: null } }, true],
    ['false counts as present', { detail: { ProductName: false } }, true],
    ['missing', { detail: {} }, false],
    ['object is not a leaf', { detail: { ProductName: { a: 1 } } }, false],
    ['empty array has no value', { detail: { ProductName: [] } }, false],
  ]),
  ...group('exists false with another field', { source: ['shop'], detail: { refunded: [{ exists: false }] } }, [
    ['not refunded', { source: 'shop', detail: { id: 1 } }, true],
    ['refunded', { source: 'shop', detail: { refunded: true } }, false],
    ['other source', { source: 'crm', detail: {} }, false],
  ]),

  // CIDR and IP values
  ...group('guide cidr IPv4', { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } }, [
    ['10.0.0.0', { detail: { sourceIPAddress: '10.0.0.0' } }, true],
    ['10.0.0.255', { detail: { sourceIPAddress: '10.0.0.255' } }, true],
    ['10.0.1.0', { detail: { sourceIPAddress: '10.0.1.0' } }, false],
    ['not an IP', { detail: { sourceIPAddress: 'ten' } }, false],
    ['IPv6 address', { detail: { sourceIPAddress: '::a00:1' } }, false],
    ['number', { detail: { sourceIPAddress: 10 } }, false],
  ]),
  ...group('cidr /8', { ip: [{ cidr: '10.0.0.0/8' }] }, [
    ['10.255.3.4', { ip: '10.255.3.4' }, true],
    ['11.0.0.1', { ip: '11.0.0.1' }, false],
  ]),
  ...group('cidr IPv6', { ip: [{ cidr: '2001:db8::/32' }] }, [
    ['2001:db8::1', { ip: '2001:db8::1' }, true],
    ['2001:0DB8:ffff::', { ip: '2001:0DB8:ffff::' }, true],
    ['2001:db9::1', { ip: '2001:db9::1' }, false],
    ['IPv4', { ip: '32.1.13.184' }, false],
  ]),
  ...group('cidr IPv6 /64', { ip: [{ cidr: '2001:db8:1:2::/64' }] }, [
    ['inside', { ip: '2001:db8:1:2:ffff:ffff:ffff:ffff' }, true],
    ['outside', { ip: '2001:db8:1:3::' }, false],
  ]),
  ...group('exact IP value compares addresses', { ip: ['2001:db8::1'] }, [
    ['same spelling', { ip: '2001:db8::1' }, true],
    ['long spelling', { ip: '2001:0db8:0000:0000:0000:0000:0000:0001' }, true],
    ['other address', { ip: '2001:db8::2' }, false],
  ]),

  // Wildcard
  ...group('guide wildcard', { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] }, [
    ['any account and bus', { EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/default' }, true],
    ['other region', { EventBusArn: 'arn:aws:events:us-west-2:123456789012:event-bus/default' }, false],
  ]),
  ...group('wildcard dir png', { FileName: [{ wildcard: 'dir/*.png' }] }, [
    ['dir/a.png', { FileName: 'dir/a.png' }, true],
    ['dir/sub/a.png', { FileName: 'dir/sub/a.png' }, true],
    ['dir/.png', { FileName: 'dir/.png' }, true],
    ['other/a.png', { FileName: 'other/a.png' }, false],
    ['dir/a.PNG', { FileName: 'dir/a.PNG' }, false],
  ]),
  ...group('wildcard escapes', { s: [{ wildcard: 'a\\*b*' }] }, [
    ['literal asterisk', { s: 'a*bc' }, true],
    ['no asterisk', { s: 'axbc' }, false],
  ]),
  ...group('wildcard regex characters are literal', { s: [{ wildcard: 'v1.(x)+*' }] }, [
    ['literal', { s: 'v1.(x)+rest' }, true],
    ['dot is not any character', { s: 'v1a(x)+rest' }, false],
  ]),
  ...group('wildcard star alone', { s: [{ wildcard: '*' }] }, [
    ['empty string', { s: '' }, true],
    ['multi-line string', { s: 'a\nb' }, true],
    ['number', { s: 3 }, false],
  ]),

  // $or
  ...group('guide $or top level', { $or: [{ Location: ['New York'] }, { Day: ['Monday'] }] }, [
    ['location', { Location: 'New York', Day: 'Friday' }, true],
    ['day', { Location: 'Boston', Day: 'Monday' }, true],
    ['neither', { Location: 'Boston', Day: 'Friday' }, false],
  ]),
  ...group(
    'guide $or with and',
    {
      source: ['aws.cloudwatch'],
      $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { metricType: ['MetricType'], namespace: ['AWS/EC2', 'AWS/ES'] }, { scope: ['Service'] }],
    },
    [
      ['first branch', { source: 'aws.cloudwatch', metricName: 'ReadLatency' }, true],
      ['second branch complete', { source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/ES' }, true],
      ['second branch incomplete', { source: 'aws.cloudwatch', metricType: 'MetricType' }, false],
      ['third branch', { source: 'aws.cloudwatch', scope: 'Service' }, true],
      ['branch but wrong source', { source: 'aws.ec2', scope: 'Service' }, false],
    ],
  ),
  ...group(
    'guide $or nested in detail',
    {
      detail: { $or: [{ 'c-count': [{ numeric: ['>', 0, '<=', 5] }] }, { 'd-count': [{ numeric: ['<', 10] }] }, { 'x-limit': [{ numeric: ['=', 3.018e2] }] }] },
    },
    [
      ['c-count', { detail: { 'c-count': 3 } }, true],
      ['d-count', { detail: { 'd-count': 2 } }, true],
      ['x-limit', { detail: { 'x-limit': 301.8 } }, true],
      ['none in range', { detail: { 'c-count': 9, 'd-count': 20 } }, false],
    ],
  ),
  ...group('$or nested inside $or', { $or: [{ a: ['1'] }, { $or: [{ b: ['2'] }, { c: ['3'] }] }] }, [
    ['a', { a: '1' }, true],
    ['c', { c: '3' }, true],
    ['none', { d: '4' }, false],
  ]),

  // Combined (guide "complex example")
  ...group(
    'guide complex example',
    {
      time: [{ prefix: '2017-10-02' }],
      detail: {
        state: [{ 'anything-but': 'initializing' }],
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ 'anything-but': [100, 200, 300] }],
        'source-ip': [{ cidr: '10.0.0.0/8' }],
      },
    },
    [
      ['all match', { time: '2017-10-02T01:00:00Z', detail: { state: 'running', 'c-count': 2, 'd-count': 3, 'x-limit': 150, 'source-ip': '10.1.2.3' } }, true],
      [
        'x-limit excluded',
        { time: '2017-10-02T01:00:00Z', detail: { state: 'running', 'c-count': 2, 'd-count': 3, 'x-limit': 200, 'source-ip': '10.1.2.3' } },
        false,
      ],
      [
        'ip outside',
        { time: '2017-10-02T01:00:00Z', detail: { state: 'running', 'c-count': 2, 'd-count': 3, 'x-limit': 150, 'source-ip': '192.168.0.1' } },
        false,
      ],
      [
        'state initializing',
        { time: '2017-10-02T01:00:00Z', detail: { state: 'initializing', 'c-count': 2, 'd-count': 3, 'x-limit': 150, 'source-ip': '10.1.2.3' } },
        false,
      ],
    ],
  ),
  ...group('several operators in one field are ORed', { v: ['x', { prefix: 'ab' }, { numeric: ['>', 10] }, { exists: false }] }, [
    ['exact', { v: 'x' }, true],
    ['prefix', { v: 'abc' }, true],
    ['numeric', { v: 11 }, true],
    ['absent', {}, true],
    ['none', { v: 'zz' }, false],
  ]),

  // Non-object events
  ...group('event that is not an object', { source: ['x'] }, [
    ['null event', null, false],
    ['string event', 'x', false],
  ]),
  ...group('exists false on a non-object event', { source: [{ exists: false }] }, [['string event has no fields', 'x', true]]),
];
