#include "ordered_output.hpp"

#include <cstring>

namespace coapjws::scan {

OrderedOutput::OrderedOutput(std::FILE* out, std::size_t channels, Terminal terminal)
    : out_(out), terminal_(std::move(terminal)), channels_(channels) {
    for (std::size_t i = 0; i < channels; ++i) {
        channels_[i].owner_ = this;
        channels_[i].index_ = i;
    }
}

OrderedOutput::~OrderedOutput() {
    for (Channel& c : channels_) {
        if (c.spill_ != nullptr)
            std::fclose(c.spill_);
    }
}

void OrderedOutput::write_joined(std::string_view text) {
    while (!text.empty()) {
        const void* mark = std::memchr(text.data(), element_separator, text.size());
        const std::size_t n =
            mark == nullptr ? text.size() : static_cast<const char*>(mark) - text.data();
        if (n > 0 && std::fwrite(text.data(), 1, n, out_) != n)
            failed_ = true;
        if (mark == nullptr)
            return;
        if (element_emitted_ && std::fputc(',', out_) == EOF)
            failed_ = true;
        element_emitted_ = true;
        text.remove_prefix(n + 1);
    }
}

void OrderedOutput::emit(std::string_view text) {
    if (text.empty())
        return;
    if (terminal_.lock == nullptr) {
        write_joined(text);
        return;
    }
    std::lock_guard terminal(*terminal_.lock);
    if (terminal_.clear)
        terminal_.clear();
    write_joined(text);
    // Nothing may stay in stdio's buffer, half a line, for the bar to land in.
    if (std::fflush(out_) != 0)
        failed_ = true;
}

void OrderedOutput::write_direct(std::string_view text) {
    std::lock_guard lock(mutex_);
    emit(text);
}

void OrderedOutput::accept(Channel& channel, std::string& text) {
    std::lock_guard lock(mutex_);
    if (channel.index_ == live_) {
        emit(text);
    } else if (channel.spill_ != nullptr || channel.held_.size() + text.size() > memory_limit) {
        if (channel.spill_ == nullptr) {
            channel.spill_ = std::tmpfile();
            if (channel.spill_ == nullptr) {
                // No temporary file: keep holding in memory rather than lose output.
                channel.held_.append(text);
                text.clear();
                return;
            }
            std::fwrite(channel.held_.data(), 1, channel.held_.size(), channel.spill_);
            channel.held_.clear();
            channel.held_.shrink_to_fit();
        }
        if (std::fwrite(text.data(), 1, text.size(), channel.spill_) != text.size())
            failed_ = true;
    } else {
        channel.held_.append(text);
    }
    text.clear();
}

void OrderedOutput::drain(Channel& channel) {
    if (channel.spill_ != nullptr) {
        std::rewind(channel.spill_);
        char block[1u << 16];
        std::size_t n = 0;
        while ((n = std::fread(block, 1, sizeof block, channel.spill_)) > 0)
            emit({block, n});
        std::fclose(channel.spill_);
        channel.spill_ = nullptr;
    }
    emit(channel.held_);
    channel.held_.clear();
    channel.held_.shrink_to_fit();
}

void OrderedOutput::Channel::push() {
    if (!buffer_.empty())
        owner_->accept(*this, buffer_);
}

void OrderedOutput::Channel::flush() {
    if (!unflushed_)
        return;
    unflushed_ = false;
    push();
    std::lock_guard lock(owner_->mutex_);
    if (index_ == owner_->live_)
        std::fflush(owner_->out_);
}

void OrderedOutput::Channel::close() {
    push();
    OrderedOutput& o = *owner_;
    std::lock_guard lock(o.mutex_);
    closed_ = true;
    if (index_ != o.live_)
        return;
    // Hand the output to the next channels, emitting what they held.
    while (o.live_ < o.channels_.size() && o.channels_[o.live_].closed_) {
        ++o.live_;
        if (o.live_ < o.channels_.size())
            o.drain(o.channels_[o.live_]);
    }
}

bool OrderedOutput::finish() {
    std::lock_guard lock(mutex_);
    if (std::fflush(out_) != 0 || std::ferror(out_))
        failed_ = true;
    return !failed_;
}

}  // namespace coapjws::scan
