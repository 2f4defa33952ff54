// Reports of captures analysed in parallel come out in argument order.
#include "ordered_output.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace coapjws::scan {
namespace {

std::string contents(std::FILE* f) {
    std::fflush(f);
    std::rewind(f);
    std::string s;
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0)
        s.append(buf, n);
    std::fseek(f, 0, SEEK_END);  // C needs a seek between reading and writing
    return s;
}

TEST(OrderedOutput, LaterChannelsWaitForEarlierOnes) {
    std::FILE* f = std::tmpfile();
    ASSERT_NE(f, nullptr);
    {
        OrderedOutput out(f, 3);
        out.write_direct("<head>");
        out.channel(2).write("C1 ");
        out.channel(1).write("B1 ");
        out.channel(0).write("A1 ");
        out.channel(2).write("C2 ");
        out.channel(2).close();
        out.channel(1).write("B2 ");
        out.channel(0).write("A2 ");
        out.channel(0).close();
        out.channel(1).close();
        out.write_direct("<tail>");
        EXPECT_TRUE(out.finish());
    }
    EXPECT_EQ(contents(f), "<head>A1 A2 B1 B2 C1 C2 <tail>");
    std::fclose(f);
}

TEST(OrderedOutput, LargeHeldOutputSpillsAndComesBackIntact) {
    std::FILE* f = std::tmpfile();
    ASSERT_NE(f, nullptr);
    std::string big;
    for (int i = 0; i < 400000; ++i)
        big += "line " + std::to_string(i) + "\n";  // > 8 MB held
    {
        OrderedOutput out(f, 2);
        for (std::size_t at = 0; at < big.size(); at += 1000)
            out.channel(1).write(big.substr(at, 1000));
        out.channel(1).close();
        out.channel(0).write("first\n");
        out.channel(0).close();
        EXPECT_TRUE(out.finish());
    }
    EXPECT_EQ(contents(f), "first\n" + big);
    std::fclose(f);
}

TEST(OrderedOutput, ConcurrentWritersKeepOrder) {
    std::FILE* f = std::tmpfile();
    ASSERT_NE(f, nullptr);
    constexpr int channels = 8;
    {
        OrderedOutput out(f, channels);
        std::vector<std::thread> threads;
        for (int c = channels - 1; c >= 0; --c) {
            threads.emplace_back([&out, c] {
                for (int i = 0; i < 2000; ++i)
                    out.channel(static_cast<std::size_t>(c))
                        .write(std::to_string(c) + ":" + std::to_string(i) + "\n");
                out.channel(static_cast<std::size_t>(c)).close();
            });
        }
        for (auto& t : threads)
            t.join();
        EXPECT_TRUE(out.finish());
    }
    std::string expected;
    for (int c = 0; c < channels; ++c) {
        for (int i = 0; i < 2000; ++i)
            expected += std::to_string(c) + ":" + std::to_string(i) + "\n";
    }
    EXPECT_EQ(contents(f), expected);
    std::fclose(f);
}

TEST(OrderedOutput, FlushMakesLiveOutputVisible) {
    std::FILE* f = std::tmpfile();
    ASSERT_NE(f, nullptr);
    OrderedOutput out(f, 2);
    out.channel(0).write("now\n");
    out.channel(0).flush();
    // Visible in the file without closing the channel.
    EXPECT_EQ(contents(f), "now\n");
    out.channel(1).write("held\n");
    out.channel(1).flush();
    EXPECT_EQ(contents(f), "now\n");
    out.channel(0).close();
    out.channel(1).close();
    EXPECT_TRUE(out.finish());
    EXPECT_EQ(contents(f), "now\nheld\n");
    std::fclose(f);
}

// The progress bar writes to another stream (standard error) on the same
// terminal. Whatever it writes between two report writes, under the terminal
// lock, must land between whole lines: nothing of a report line may still sit
// in the report stream's buffer (a large write leaves its tail there).
TEST(OrderedOutput, TerminalWritesLeaveNoHalfLineBehind) {
    char name[] = "/tmp/coapjws-terminal-XXXXXX";
    const int fd = ::mkstemp(name);
    ASSERT_GE(fd, 0);
    std::FILE* report = ::fdopen(::dup(fd), "a");  // the report's stream, fully buffered
    ASSERT_NE(report, nullptr);
    std::mutex terminal;
    int clears = 0;
    {
        OrderedOutput out(report, 1, OrderedOutput::Terminal{&terminal, [&clears] { ++clears; }});
        std::string lines;
        // More than a channel holds: written out at once, as a long report is.
        for (int i = 0; lines.size() < 70000; ++i)
            lines += "capture.pcap:" + std::to_string(i) + " a report line of some length\n";
        out.channel(0).write(lines);
        // The bar draws now, straight to the terminal (O_APPEND like a tty).
        {
            std::lock_guard lock(terminal);
            const std::string bar = "\r[BAR]\033[K";
            ASSERT_EQ(::write(fd, bar.data(), bar.size()), static_cast<ssize_t>(bar.size()));
        }
        out.channel(0).write("last line\n");
        out.channel(0).close();
        ASSERT_TRUE(out.finish());
    }
    std::fclose(report);
    std::FILE* in = std::fopen(name, "rb");
    ASSERT_NE(in, nullptr);
    const std::string text = contents(in);
    std::fclose(in);
    ::close(fd);
    ::unlink(name);
    const std::size_t bar = text.find("\r[BAR]");
    ASSERT_NE(bar, std::string::npos);
    EXPECT_EQ(text[bar - 1], '\n')
        << "the bar landed inside a line: ..." << text.substr(bar > 60 ? bar - 60 : 0, 80);
    EXPECT_GE(clears, 1);
}

}  // namespace
}  // namespace coapjws::scan
