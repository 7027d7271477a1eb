/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-name-cache"
#include "config.h"

#include "porthole-test.h"
#include "porthole-name-cache.h"

#include <string.h>

/* A stand-in resolver answers every reverse lookup from a table, so the tests never depend on
 * this machine's /etc/hosts or DNS and never send a query anywhere. It is also installed as
 * the default resolver, so a lookup that bypassed the one handed to the cache would land
 * here too. Addresses in "hold" get no answer until the test releases them or the lookup is
 * cancelled: a slow name server. */

#define TEST_TYPE_RESOLVER (test_resolver_get_type ())
G_DECLARE_FINAL_TYPE (TestResolver, test_resolver, TEST, RESOLVER, GResolver)

typedef struct {
  TestResolver *self;
  GTask        *task;
  char         *address;
  GSource      *cancel_source;
} Held;

struct _TestResolver {
  GResolver   parent_instance;
  GHashTable *answers;     /* address -> name; an address not listed fails with NOT_FOUND */
  GHashTable *hold;        /* addresses whose answer waits */
  GPtrArray  *held;        /* of Held, in the order asked */
  GHashTable *calls;       /* address -> times asked */
  guint       in_flight;
  guint       max_in_flight;
  guint       n_cancelled;
};

G_DEFINE_FINAL_TYPE (TestResolver, test_resolver, G_TYPE_RESOLVER)

static void
answer (TestResolver *self, GTask *task)
{
  const char *address = g_task_get_task_data (task);
  const char *name = g_hash_table_lookup (self->answers, address);

  self->in_flight--;
  if (name)
    g_task_return_pointer (task, g_strdup (name), g_free);
  else
    g_task_return_new_error (task, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
                             "no name for %s in the test's table", address);
}

static gboolean
answer_idle (gpointer data)
{
  GTask *task = data;

  answer (TEST_RESOLVER (g_task_get_source_object (task)), task);
  return G_SOURCE_REMOVE;
}

static void
held_free (Held *h)
{
  g_source_destroy (h->cancel_source);
  g_source_unref (h->cancel_source);
  g_object_unref (h->task);
  g_free (h->address);
  g_free (h);
}

static gboolean
on_held_cancelled (GCancellable *cancellable, gpointer data)
{
  Held *h = data;
  TestResolver *self = h->self;

  self->in_flight--;
  self->n_cancelled++;
  ck_assert (g_task_return_error_if_cancelled (h->task));
  g_ptr_array_remove (self->held, h);
  return G_SOURCE_REMOVE;
}

static void
test_resolver_lookup_by_address_async (GResolver           *resolver,
                                       GInetAddress        *address,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  TestResolver *self = TEST_RESOLVER (resolver);
  char *text = g_inet_address_to_string (address);
  GTask *task = g_task_new (resolver, cancellable, callback, user_data);
  guint calls = GPOINTER_TO_UINT (g_hash_table_lookup (self->calls, text));

  g_task_set_source_tag (task, test_resolver_lookup_by_address_async);
  g_task_set_task_data (task, text, g_free);
  g_hash_table_insert (self->calls, g_strdup (text), GUINT_TO_POINTER (calls + 1));
  self->in_flight++;
  self->max_in_flight = MAX (self->max_in_flight, self->in_flight);

  if (g_hash_table_contains (self->hold, text))
    {
      Held *h = g_new0 (Held, 1);

      /* The cache always passes a cancellable: that is how it drops lookups */
      ck_assert (cancellable != NULL);
      h->self = self;
      h->task = task;
      h->address = g_strdup (text);
      h->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (h->cancel_source, G_SOURCE_FUNC (on_held_cancelled), h, NULL);
      g_source_attach (h->cancel_source, g_main_context_get_thread_default ());
      g_ptr_array_add (self->held, h);
      return;
    }
  /* A real resolver answers later, never from inside the call */
  g_idle_add_full (G_PRIORITY_DEFAULT, answer_idle, task, g_object_unref);
}

static char *
test_resolver_lookup_by_address_finish (GResolver *resolver, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, resolver), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static char *
test_resolver_lookup_by_address (GResolver *resolver, GInetAddress *address,
                                 GCancellable *cancellable, GError **error)
{
  ck_abort_msg ("the name cache must not block the main thread on a lookup");
  return NULL;
}

static void
test_resolver_finalize (GObject *object)
{
  TestResolver *self = TEST_RESOLVER (object);

  g_ptr_array_unref (self->held);
  g_hash_table_unref (self->answers);
  g_hash_table_unref (self->hold);
  g_hash_table_unref (self->calls);
  G_OBJECT_CLASS (test_resolver_parent_class)->finalize (object);
}

static void
test_resolver_class_init (TestResolverClass *klass)
{
  GResolverClass *resolver_class = G_RESOLVER_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = test_resolver_finalize;
  resolver_class->lookup_by_address = test_resolver_lookup_by_address;
  resolver_class->lookup_by_address_async = test_resolver_lookup_by_address_async;
  resolver_class->lookup_by_address_finish = test_resolver_lookup_by_address_finish;
}

static void
test_resolver_init (TestResolver *self)
{
  self->answers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->hold = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->calls = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->held = g_ptr_array_new_with_free_func ((GDestroyNotify) held_free);
}

static TestResolver *
resolver_new (void)
{
  TestResolver *self = g_object_new (TEST_TYPE_RESOLVER, NULL);

  g_resolver_set_default (G_RESOLVER (self));
  return self;
}

static void
resolver_answer (TestResolver *self, const char *address, const char *name)
{
  g_hash_table_insert (self->answers, g_strdup (address), g_strdup (name));
}

static void
resolver_hold (TestResolver *self, const char *address)
{
  g_hash_table_add (self->hold, g_strdup (address));
}

static guint
resolver_calls (TestResolver *self, const char *address)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->calls, address));
}

/* Lets the oldest held lookup have its answer from the table */
static void
resolver_release_first (TestResolver *self)
{
  Held *h;

  ck_assert_uint_gt (self->held->len, 0);
  h = g_ptr_array_steal_index (self->held, 0);
  answer (self, h->task);
  held_free (h);
}

/* ---- helpers ------------------------------------------------------------------------------ */

typedef gboolean (*Condition) (gpointer data);

static gboolean
wait_until (Condition cond, gpointer data, guint timeout_ms)
{
  for (guint waited = 0; !cond (data) && waited < timeout_ms; waited += 10)
    porthole_test_spin (10);
  return cond (data);
}

static gboolean
nothing_pending (gpointer cache)
{
  return porthole_name_cache_get_n_pending (cache) == 0;
}

typedef struct {
  PortholeNameCache *cache;
  guint              n;
} Pending;

static gboolean
pending_is (gpointer data)
{
  Pending *p = data;

  return porthole_name_cache_get_n_pending (p->cache) == p->n;
}

static void
on_resolved (PortholeNameCache *cache, const char *address, gpointer data)
{
  g_ptr_array_add (data, g_strdup (address));
}

/* @seen outlives @cache: declare it first */
static void
watch_resolved (PortholeNameCache *cache, GPtrArray *seen)
{
  g_signal_connect (cache, "resolved", G_CALLBACK (on_resolved), seen);
}

static void
on_count (PortholeNameCache *cache, const char *address, gpointer data)
{
  (*(guint *) data)++;
}

/* ---- tests -------------------------------------------------------------------------------- */

START_TEST (test_answers_and_caches)
{
  g_autoptr(TestResolver) resolver = resolver_new ();
  g_autoptr(GPtrArray) resolved = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(PortholeNameCache) cache = NULL;
  guint named = 0;

  resolver_answer (resolver, "192.0.2.1", "host.example");
  resolver_answer (resolver, "2001:db8::1", "six.example");
  cache = porthole_name_cache_new (G_RESOLVER (resolver));
  watch_resolved (cache, resolved);
  /* "resolved" is detailed by the address, so a row waits for its own peer only */
  g_signal_connect (cache, "resolved::192.0.2.1", G_CALLBACK (on_count), &named);

  /* Off (the default): nothing is queued, nothing is asked */
  ck_assert (!porthole_name_cache_get_enabled (cache));
  ck_assert_ptr_null (porthole_name_cache_lookup (cache, "192.0.2.1"));
  ck_assert_uint_eq (porthole_name_cache_get_n_pending (cache), 0);
  ck_assert_uint_eq (resolver_calls (resolver, "192.0.2.1"), 0);

  porthole_name_cache_set_enabled (cache, TRUE);
  ck_assert (porthole_name_cache_get_enabled (cache));
  ck_assert_ptr_null (porthole_name_cache_lookup (cache, "192.0.2.1"));
  ck_assert_uint_eq (porthole_name_cache_get_n_pending (cache), 1);
  ck_assert_ptr_null (porthole_name_cache_lookup (cache, "192.0.2.1"));   /* queued once only */
  ck_assert_uint_eq (porthole_name_cache_get_n_pending (cache), 1);
  ck_assert_ptr_null (porthole_name_cache_lookup (cache, "2001:db8::1"));
  ck_assert (wait_until (nothing_pending, cache, 5000));

  ck_assert_str_eq (porthole_name_cache_lookup (cache, "192.0.2.1"), "host.example");
  ck_assert_str_eq (porthole_name_cache_lookup (cache, "2001:db8::1"), "six.example");
  ck_assert_uint_eq (resolved->len, 2);
  ck_assert_uint_eq (named, 1);
  ck_assert_uint_eq (resolver_calls (resolver, "192.0.2.1"), 1);
  ck_assert_uint_eq (resolver_calls (resolver, "2001:db8::1"), 1);
  ck_assert_uint_eq (porthole_name_cache_get_n_pending (cache), 0);

  /* Nothing to look up: NULL address, text that is not an address (never reaches the resolver) */
  ck_assert_ptr_null (porthole_name_cache_lookup (cache, NULL));
  ck_assert_ptr_null (porthole_name_cache_lookup (cache, "not an address"));
  ck_assert_uint_eq (porthole_name_cache_get_n_pending (cache), 0);
  ck_assert_uint_eq (g_hash_table_size (resolver->calls), 2);
}
END_TEST

START_TEST (test_failures_cached)
{
  g_autoptr(TestResolver) resolver = resolver_new ();
  g_autoptr(GPtrArray) resolved = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(PortholeNameCache) cache = porthole_name_cache_new (G_RESOLVER (resolver));

  /* 192.0.2.2 is not in the table: NOT_FOUND */
  watch_resolved (cache, resolved);
  porthole_name_cache_set_enabled (cache, TRUE);
  ck_assert_ptr_null (porthole_name_cache_lookup (cache, "192.0.2.2"));
  ck_assert (wait_until (nothing_pending, cache, 5000));
  ck_assert_uint_eq (resolver_calls (resolver, "192.0.2.2"), 1);

  /* The failure is remembered: no second query, no signal, still no name */
  for (int i = 0; i < 3; i++)
    ck_assert_ptr_null (porthole_name_cache_lookup (cache, "192.0.2.2"));
  porthole_test_spin (50);
  ck_assert_uint_eq (porthole_name_cache_get_n_pending (cache), 0);
  ck_assert_uint_eq (resolver_calls (resolver, "192.0.2.2"), 1);
  ck_assert_uint_eq (resolved->len, 0);

  /* ...also across turning names off and on again */
  porthole_name_cache_set_enabled (cache, FALSE);
  porthole_name_cache_set_enabled (cache, TRUE);
  ck_assert_ptr_null (porthole_name_cache_lookup (cache, "192.0.2.2"));
  ck_assert_uint_eq (porthole_name_cache_get_n_pending (cache), 0);
  ck_assert_uint_eq (resolver_calls (resolver, "192.0.2.2"), 1);
}
END_TEST

START_TEST (test_hostile_names)
{
  static const struct { const char *address, *name, *shown; } cases[] = {
    /* A terminal title escape, a bell, markup and a line break: plain text, controls escaped */
    { "192.0.2.5", "evil\x1b]0;owned\x07<b>x</b>&amp;\n.example",
      "evil\\x1b]0;owned\\x07<b>x</b>&amp;\\n.example" },
    /* A right-to-left override that would show "moc.elpmaxe" reversed */
    { "192.0.2.6", "user\xe2\x80\xaemoc.elpmaxe", "user\\u{202E}moc.elpmaxe" },
    /* Not UTF-8 at all */
    { "192.0.2.7", "bad\xff\xfe.example", "bad\\xff\\xfe.example" },
  };
  g_autoptr(TestResolver) resolver = resolver_new ();
  g_autoptr(PortholeNameCache) cache = porthole_name_cache_new (G_RESOLVER (resolver));

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    resolver_answer (resolver, cases[i].address, cases[i].name);
  porthole_name_cache_set_enabled (cache, TRUE);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    ck_assert_ptr_null (porthole_name_cache_lookup (cache, cases[i].address));
  ck_assert (wait_until (nothing_pending, cache, 5000));

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *shown = porthole_name_cache_lookup (cache, cases[i].address);

      ck_assert_ptr_nonnull (shown);
      ck_assert_str_eq (shown, cases[i].shown);
      ck_assert (g_utf8_validate (shown, -1, NULL));
      for (const char *p = shown; *p; p++)
        ck_assert_msg ((guchar) *p >= 0x20 && *p != 0x7f, "control byte in “%s”", shown);
    }
}
END_TEST

START_TEST (test_bounded_concurrency)
{
  g_autoptr(TestResolver) resolver = resolver_new ();
  g_autoptr(GPtrArray) resolved = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(PortholeNameCache) cache = porthole_name_cache_new (G_RESOLVER (resolver));
  const guint n = 12;

  watch_resolved (cache, resolved);
  for (guint i = 1; i <= n; i++)
    {
      g_autofree char *address = g_strdup_printf ("198.51.100.%u", i);
      g_autofree char *name = g_strdup_printf ("peer%u.example", i);

      resolver_answer (resolver, address, name);
      resolver_hold (resolver, address);
    }
  porthole_name_cache_set_enabled (cache, TRUE);
  for (guint i = 1; i <= n; i++)
    {
      g_autofree char *address = g_strdup_printf ("198.51.100.%u", i);

      ck_assert_ptr_null (porthole_name_cache_lookup (cache, address));
    }
  /* Every address waits, but only a few are asked at once: a busy machine has hundreds of peers */
  ck_assert_uint_eq (porthole_name_cache_get_n_pending (cache), n);
  ck_assert_uint_eq (resolver->in_flight, 4);

  /* As each answer arrives the next queued address is asked, never more at once */
  for (guint answered = 1; answered <= n; answered++)
    {
      Pending left = { cache, n - answered };

      resolver_release_first (resolver);
      ck_assert (wait_until (pending_is, &left, 5000));
      ck_assert_uint_eq (resolver->in_flight, MIN (4, n - answered));
      ck_assert_uint_eq (porthole_name_cache_get_n_pending (cache), n - answered);
    }
  ck_assert_uint_eq (resolver->max_in_flight, 4);
  ck_assert_uint_eq (resolved->len, n);
  for (guint i = 1; i <= n; i++)
    {
      g_autofree char *address = g_strdup_printf ("198.51.100.%u", i);
      g_autofree char *name = g_strdup_printf ("peer%u.example", i);

      ck_assert_str_eq (porthole_name_cache_lookup (cache, address), name);
      ck_assert_uint_eq (resolver_calls (resolver, address), 1);
    }
}
END_TEST

static gboolean
nothing_in_flight (gpointer data)
{
  return TEST_RESOLVER (data)->in_flight == 0;
}

START_TEST (test_disable_cancels)
{
  g_autoptr(TestResolver) resolver = resolver_new ();
  g_autoptr(GPtrArray) resolved = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(PortholeNameCache) cache = porthole_name_cache_new (G_RESOLVER (resolver));

  /* Six slow answers: four in flight, two queued */
  watch_resolved (cache, resolved);
  for (guint i = 1; i <= 6; i++)
    {
      g_autofree char *address = g_strdup_printf ("203.0.113.%u", i);

      resolver_answer (resolver, address, "slow.example");
      resolver_hold (resolver, address);
    }
  porthole_name_cache_set_enabled (cache, TRUE);
  for (guint i = 1; i <= 6; i++)
    {
      g_autofree char *address = g_strdup_printf ("203.0.113.%u", i);

      ck_assert_ptr_null (porthole_name_cache_lookup (cache, address));
    }
  ck_assert_uint_eq (resolver->in_flight, 4);
  ck_assert_uint_eq (porthole_name_cache_get_n_pending (cache), 6);

  /* Turning names off cancels what is in flight and forgets what is queued */
  porthole_name_cache_set_enabled (cache, FALSE);
  ck_assert_uint_eq (porthole_name_cache_get_n_pending (cache), 0);
  ck_assert (wait_until (nothing_in_flight, resolver, 5000));
  ck_assert_uint_eq (resolver->n_cancelled, 4);
  ck_assert_uint_eq (resolver->held->len, 0);
  ck_assert_uint_eq (resolver_calls (resolver, "203.0.113.5"), 0);
  ck_assert_uint_eq (resolved->len, 0);

  /* Off: no name, nothing asked */
  ck_assert_ptr_null (porthole_name_cache_lookup (cache, "203.0.113.1"));
  ck_assert_uint_eq (porthole_name_cache_get_n_pending (cache), 0);
  ck_assert_uint_eq (resolver_calls (resolver, "203.0.113.1"), 1);

  /* A cancelled lookup is no failure: on again, the address is asked again and answered */
  porthole_name_cache_set_enabled (cache, TRUE);
  ck_assert_ptr_null (porthole_name_cache_lookup (cache, "203.0.113.1"));
  ck_assert_uint_eq (resolver_calls (resolver, "203.0.113.1"), 2);
  resolver_release_first (resolver);
  ck_assert (wait_until (nothing_pending, cache, 5000));
  ck_assert_str_eq (porthole_name_cache_lookup (cache, "203.0.113.1"), "slow.example");
  ck_assert_uint_eq (resolved->len, 1);
}
END_TEST

static Suite *
name_cache_suite (void)
{
  Suite *s = suite_create ("name-cache");
  TCase *tc = tcase_create ("core");

  tcase_add_test (tc, test_answers_and_caches);
  tcase_add_test (tc, test_failures_cached);
  tcase_add_test (tc, test_hostile_names);
  tcase_add_test (tc, test_bounded_concurrency);
  tcase_add_test (tc, test_disable_cancels);
  suite_add_tcase (s, tc);
  return s;
}

PORTHOLE_TEST_MAIN (name_cache_suite)
