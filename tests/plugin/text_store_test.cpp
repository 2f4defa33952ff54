// The plugin's packed text storage.
#include "text_store.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

namespace coapjws::plugin {
namespace {

TEST(TextStore, EmptyTextCostsNothing) {
    TextStore store;
    const TextStore::Ref ref = store.add("");
    EXPECT_TRUE(ref.empty());
    EXPECT_EQ(store.get(ref), "");
    EXPECT_STREQ(store.c_str(ref), "");
    EXPECT_EQ(store.bytes_allocated(), 0u);
    EXPECT_EQ(store.get(TextStore::Ref{}), "");
}

TEST(TextStore, GivesBackWhatWasStored) {
    TextStore store;
    const TextStore::Ref a = store.add("client-1");
    const TextStore::Ref b = store.add("server-1");
    EXPECT_EQ(store.get(a), "client-1");
    EXPECT_EQ(store.get(b), "server-1");
    EXPECT_STREQ(store.c_str(a), "client-1");  // NUL-terminated for C
    const std::string binary("a\0b\xff", 4);
    const TextStore::Ref c = store.add(binary);
    EXPECT_EQ(store.get(c), binary);
}

TEST(TextStore, RepeatsAreStoredOnce) {
    TextStore store;
    const TextStore::Ref a = store.add("no key for kid \"client-1\"");
    const std::size_t allocated = store.bytes_allocated();
    for (int i = 0; i < 10000; ++i) {
        const TextStore::Ref again = store.add("no key for kid \"client-1\"");
        EXPECT_EQ(again.chunk, a.chunk);
        EXPECT_EQ(again.offset, a.offset);
    }
    EXPECT_EQ(store.bytes_allocated(), allocated);
}

TEST(TextStore, ManyAndLargeTextsStayPut) {
    TextStore store;
    std::vector<TextStore::Ref> refs;
    for (int i = 0; i < 50000; ++i)
        refs.push_back(store.add("text number " + std::to_string(i)));
    const std::string large(300000, 'x');
    const TextStore::Ref big = store.add(large);
    const char* before = store.c_str(refs[0]);
    for (int i = 0; i < 50000; ++i)
        ASSERT_EQ(store.get(refs[static_cast<std::size_t>(i)]), "text number " + std::to_string(i));
    EXPECT_EQ(store.get(big), large);
    EXPECT_EQ(store.c_str(refs[0]), before);
    store.clear();
    EXPECT_EQ(store.bytes_allocated(), 0u);
    EXPECT_EQ(store.get(store.add("fresh")), "fresh");
}

}  // namespace
}  // namespace coapjws::plugin
