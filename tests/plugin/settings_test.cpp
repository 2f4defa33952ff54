#include "settings.hpp"

#include <gtest/gtest.h>

namespace coapjws::plugin {
namespace {

TEST(Settings, DefaultsAreTheProfiles) {
    const ResolvedConfig resolved = resolve_session_config(PluginSettings{});
    EXPECT_TRUE(resolved.problems.empty());
    EXPECT_EQ(resolved.session.jws_option, 65021);                                     // spec §1
    EXPECT_EQ(resolved.session.window, 32u);                                           // spec §5
    EXPECT_EQ(resolved.session.signed_options.to_string(), "1,4,5,8,11,12,15,17,20");  // spec §3
}

TEST(Settings, TakesOtherValues) {
    PluginSettings settings;
    settings.option_number = 65001;
    settings.window = 1024;
    settings.signed_options = "1,3,11";
    const ResolvedConfig resolved = resolve_session_config(settings);
    EXPECT_TRUE(resolved.problems.empty());
    EXPECT_EQ(resolved.session.jws_option, 65001);
    EXPECT_EQ(resolved.session.window, 1024u);
    EXPECT_TRUE(resolved.session.signed_options.contains(3));
    EXPECT_FALSE(resolved.session.signed_options.contains(4));
}

TEST(Settings, BadValuesFallBackToDefaultsAndSaySo) {
    PluginSettings settings;
    settings.option_number = 70000;
    settings.window = 0;
    settings.signed_options = "1,banana";
    const ResolvedConfig resolved = resolve_session_config(settings);
    ASSERT_EQ(resolved.problems.size(), 3u);
    EXPECT_NE(resolved.problems[0].find("70000"), std::string::npos);
    EXPECT_NE(resolved.problems[1].find("banana"), std::string::npos);
    EXPECT_NE(resolved.problems[2].find("window 0"), std::string::npos);
    EXPECT_EQ(resolved.session.jws_option, 65021);
    EXPECT_EQ(resolved.session.window, 32u);
    EXPECT_EQ(resolved.session.signed_options, OptionSet::default_signed());
}

}  // namespace
}  // namespace coapjws::plugin
