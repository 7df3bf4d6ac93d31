import { parseFrontMatter } from '../../../shared/knowledge/front-matter';

describe('parseFrontMatter', () => {
  test('reads namespace, title and tags in either list form', () => {
    expect(parseFrontMatter('---\nnamespace: support\ntitle: "Refund policy"\ntags: [refunds, returns]\n---\n# Body\n', 'a.md')).toEqual({
      meta: { namespace: 'support', title: 'Refund policy', tags: ['refunds', 'returns'] },
      body: '# Body',
    });
    expect(parseFrontMatter('---\nnamespace: sales\ntitle: ICP\ntags: a, b\n---\ntext', 'b.md').meta.tags).toEqual(['a', 'b']);
  });

  test('rejects missing front matter, unknown keys and bad namespaces with the file name', () => {
    expect(() => parseFrontMatter('# no front matter', 'x.md')).toThrow(/x\.md: missing front matter/);
    expect(() => parseFrontMatter('---\nnamespace: support\ntitle: T\nauthor: me\n---\nb', 'y.md')).toThrow(/y\.md: invalid front matter/);
    expect(() => parseFrontMatter('---\nnamespace: Support Desk\ntitle: T\n---\nb', 'z.md')).toThrow(
      expect.objectContaining({ code: 'Knowledge.InvalidDocument' }),
    );
    expect(() => parseFrontMatter('---\nnamespace support\n---\nb', 'w.md')).toThrow(/line 2 is not "key: value"/);
  });
});
